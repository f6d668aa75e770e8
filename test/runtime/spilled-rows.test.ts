// A transaction larger than the assembler's limit keeps its first rows in a temporary file:
// they come back in order, with every kind of binlog value intact and the table maps' identity
// kept; a rollback or an abandoned transaction leaves nothing behind.
import { describe, expect, it } from "vitest";
import type { RawRow, SourceEvent } from "../../src/runtime/source/binlog-events.js";
import { SpilledRows } from "../../src/runtime/source/spilled-rows.js";
import { BinlogTimestamp } from "../../src/runtime/source/row-image-reader.js";
import { BinlogTableMap } from "../../src/runtime/source/table-map.js";
import { TransactionAssembler, type AssembledUnit, type RowsEvent } from "../../src/runtime/source/transaction-assembler.js";

const map = new BinlogTableMap("d", "t", 2, ["id", "v"], null);
const pos = (offset: number) => ({ file: "mysql-bin.000001", offset, gtidSet: null });
const insert = (id: number, ...value: unknown[]): RowsEvent => ({ type: "rows", kind: "insert", database: "d", table: "t", tableMap: map, rows: [[id, value.length ? value[0] : `v${id}`] as RawRow], timestampSeconds: 7 });
type Transaction = Extract<AssembledUnit, { type: "transaction" }>;

function assemble(events: SourceEvent[], spillAfterRows: number): AssembledUnit[] {
  const assembler = new TransactionAssembler({ spillAfterRows });
  return events.flatMap((e) => assembler.push(e) ?? []);
}

const ids = (events: readonly RowsEvent[]) => events.map((e) => (e.rows[0] as RawRow)[0]);

describe("spilling a large transaction", () => {
  it("keeps the first rows on disk and gives every row back in order at the commit", () => {
    const events: SourceEvent[] = [{ type: "begin", gtid: "0-1-5", timestampSeconds: 7 }];
    for (let id = 1; id <= 25; id++) events.push(insert(id));
    events.push({ type: "commit", xid: "3", position: pos(900), timestampSeconds: 7 });
    const [unit] = assemble(events, 10) as Transaction[];
    const spilled = unit?.spilled as SpilledRows;
    expect(spilled.rowCount).toBe(22);
    const back = [...spilled.batches()];
    expect(back.map((batch) => batch.length)).toEqual([11, 11]);
    expect([...ids(back.flat()), ...ids(unit?.rows ?? [])]).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(back[0]?.[0]?.tableMap).toBe(map);
    spilled.discard();
  });

  it("once spilling, writes rows every spillEveryRows rows, so they are not held long", () => {
    const assembler = new TransactionAssembler({ spillAfterRows: 10, spillEveryRows: 3 });
    const events: SourceEvent[] = [{ type: "begin", gtid: null, timestampSeconds: 7 }];
    for (let id = 1; id <= 25; id++) events.push(insert(id));
    events.push({ type: "commit", xid: "3", position: pos(900), timestampSeconds: 7 });
    const [unit] = events.flatMap((e) => assembler.push(e) ?? []) as Transaction[];
    const back = [...(unit?.spilled as SpilledRows).batches()];
    expect(back.map((batch) => batch.length)).toEqual([11, 4, 4, 4]);
    expect([...ids(back.flat()), ...ids(unit?.rows ?? [])]).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    unit?.spilled?.discard();
  });

  it("spills by the rows' binlog bytes as well, so a few large rows are not held in memory whole", () => {
    const assembler = new TransactionAssembler({ spillAfterRows: 5_000, spillAfterBytes: 30_000_000, spillEveryBytes: 10_000_000 });
    const events: SourceEvent[] = [{ type: "begin", gtid: null, timestampSeconds: 7 }];
    // forty rows of 15 MB: far fewer than 5,000
    for (let id = 1; id <= 40; id++) events.push({ ...insert(id), bytes: 15_000_000 });
    events.push({ type: "commit", xid: "3", position: pos(900), timestampSeconds: 7 });
    const [unit] = events.flatMap((e) => assembler.push(e) ?? []) as Transaction[];
    const back = [...(unit?.spilled as SpilledRows).batches()];
    expect(back[0]).toHaveLength(3);
    expect(back.slice(1).every((batch) => batch.length === 1)).toBe(true);
    expect(unit?.rows.length).toBeLessThanOrEqual(1);
    expect([...ids(back.flat()), ...ids(unit?.rows ?? [])]).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    unit?.spilled?.discard();
  });

  it("round-trips every kind of value a binlog row holds", () => {
    const values: unknown[] = [Buffer.from([0, 255, 7]), new BinlogTimestamp(1_700_000_000, 123_456), new BinlogTimestamp(0, 0), 2n ** 64n - 1n, new Date(Date.UTC(2024, 0, 1)), -0, undefined, null, "naïve 文字", 1.5, { json: [1, "a", null] }];
    const spilled = new SpilledRows();
    spilled.append(values.map((v, i) => insert(i, v)));
    const [batch] = [...spilled.batches()];
    const back = (batch ?? []).map((e) => (e.rows[0] as RawRow)[1]);
    expect(Buffer.isBuffer(back[0])).toBe(true);
    expect(back[1]).toBeInstanceOf(BinlogTimestamp);
    expect(back).toEqual(values);
    expect(Object.is(back[5], -0)).toBe(true);
    spilled.discard();
  });

  it("does not spill an XA branch, which may wait for its XA COMMIT across other transactions", () => {
    const events: SourceEvent[] = [{ type: "begin", gtid: null, xaId: "x1", timestampSeconds: 7 }, insert(1), insert(2), insert(3)];
    events.push({ type: "xa-prepare", xaId: "x1", onePhase: true, position: pos(500), timestampSeconds: 7 });
    const [unit] = assemble(events, 1) as Transaction[];
    expect(unit?.spilled).toBeUndefined();
    expect(ids(unit?.rows ?? [])).toEqual([1, 2, 3]);
  });

  it("discards the file of a transaction that rolls back", () => {
    const assembler = new TransactionAssembler({ spillAfterRows: 1 });
    assembler.push({ type: "begin", gtid: null, timestampSeconds: 7 });
    assembler.push(insert(1));
    assembler.push(insert(2));
    expect(assembler.push({ type: "rollback", position: pos(300), timestampSeconds: 7 })).toEqual({ type: "boundary", position: pos(300), timestampSeconds: 7 });
    const after = assemble([{ type: "begin", gtid: null, timestampSeconds: 7 }, insert(9), { type: "commit", xid: "1", position: pos(400), timestampSeconds: 7 }], 5) as Transaction[];
    expect(after[0]?.spilled).toBeUndefined();
    expect(ids(after[0]?.rows ?? [])).toEqual([9]);
  });
});

describe("the spill file's encoding", () => {
  const roundTrip = (rows: RawRow[], kind: RowsEvent["kind"] = "insert"): RowsEvent[] => {
    const spilled = new SpilledRows();
    spilled.append([{ type: "rows", kind, database: "d", table: "t", tableMap: map, rows, timestampSeconds: 7 }]);
    const [batch] = [...spilled.batches()];
    spilled.discard();
    return batch ?? [];
  };

  it("gives back rows keyed by column position, as zongji builds them, with the same keys", () => {
    const row = { 0: 1, 1: "a", 3: null } as RawRow;
    const [event] = roundTrip([row]);
    expect(event?.rows).toEqual([row]);
    expect(Object.keys((event?.rows[0] ?? {}) as object)).toEqual(["0", "1", "3"]);
  });

  it("keeps the before and after images of updates", () => {
    const rows = [{ before: [1, "old"] as RawRow, after: [1, "new"] as RawRow }];
    expect(roundTrip(rows as unknown as RawRow[], "update")[0]?.rows).toEqual(rows);
  });

  it("keeps strings UTF-8 cannot hold, numbers of every range, and values of other kinds", () => {
    const values: unknown[] = ["lone \uD800 surrogate", "pair 😀", 2 ** 31, -(2 ** 31), 0.1, NaN, Infinity, true, false, new Uint16Array([1, 2]), [{ x: 1, y: 2 }], new Date(NaN)];
    const [event] = roundTrip([values as RawRow]);
    expect(event?.rows[0]).toEqual(values);
    expect((event?.rows[0] as unknown[])[9]).toBeInstanceOf(Uint16Array);
  });

  it("gives back Buffers that later records do not overwrite", () => {
    const spilled = new SpilledRows();
    spilled.append([insert(1, Buffer.from("first"))]);
    spilled.append([insert(2, Buffer.from("second, longer"))]);
    const batches = [...spilled.batches()];
    spilled.discard();
    expect(batches.map((b) => String((b[0]?.rows[0] as RawRow)[1]))).toEqual(["first", "second, longer"]);
  });
});
