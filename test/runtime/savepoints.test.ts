// Rows rolled back to a savepoint stay in the binlog when the server could not cut them out of
// its cache (a non-transactional table changed after the savepoint); `SAVEPOINT s` and
// `ROLLBACK TO s` around them say which. The assembler drops them, in memory and in the spill
// file alike, and forgets savepoints set after the one rolled back to, as the server does.
import { describe, expect, it } from "vitest";
import type { RawRow, SourceEvent } from "../../src/runtime/source/binlog-events.js";
import { savepointStatement } from "../../src/runtime/source/savepoints.js";
import type { SpilledRows } from "../../src/runtime/source/spilled-rows.js";
import { BinlogTableMap } from "../../src/runtime/source/table-map.js";
import { TransactionAssembler, type AssembledUnit, type RowsEvent } from "../../src/runtime/source/transaction-assembler.js";

const map = new BinlogTableMap("d", "t", 1, ["id"], null);
const insert = (...ids: number[]): RowsEvent => ({ type: "rows", kind: "insert", database: "d", table: "t", tableMap: map, rows: ids.map((id) => [id] as RawRow), timestampSeconds: 7 });
const savepoint = (name: string): SourceEvent => ({ type: "savepoint", name });
const rollbackTo = (name: string): SourceEvent => ({ type: "rollback-to-savepoint", name });
const begin: SourceEvent = { type: "begin", gtid: null, timestampSeconds: 7 };
const commit: SourceEvent = { type: "commit", xid: "1", position: { file: "mysql-bin.000001", offset: 900, gtidSet: null }, timestampSeconds: 7 };

/** The ids a transaction's unit releases, spilled ones first. */
function committedIds(events: SourceEvent[], spillAfterRows?: number, spillEveryRows?: number): number[] {
  const assembler = new TransactionAssembler({ spillAfterRows: spillAfterRows ?? null, ...(spillEveryRows ? { spillEveryRows } : {}) });
  const units = events.flatMap((e) => assembler.push(e) ?? []) as Extract<AssembledUnit, { type: "transaction" }>[];
  const unit = units[0];
  if (!unit) return [];
  const spilled = unit.spilled ? [...(unit.spilled as SpilledRows).batches()].flat() : [];
  unit.spilled?.discard();
  return [...spilled, ...unit.rows].flatMap((e) => (e.rows as RawRow[]).map((row) => row[0] as number));
}

describe("savepoints in a transaction", () => {
  it("reads the savepoint statements the server logs", () => {
    expect(savepointStatement("SAVEPOINT `s2`")).toEqual({ type: "savepoint", name: "s2" });
    expect(savepointStatement("ROLLBACK TO `My Point`")).toEqual({ type: "rollback-to-savepoint", name: "my point" });
    expect(savepointStatement("rollback work to savepoint `a``b`")).toEqual({ type: "rollback-to-savepoint", name: "a`b" });
    expect(savepointStatement("ROLLBACK")).toBeNull();
    expect(savepointStatement("ROLLBACK TO s /* odd */")).toMatchObject({ type: "rollback-to-savepoint" });
  });

  it("drops the rows after the savepoint rolled back to, and keeps the rest", () => {
    expect(committedIds([begin, insert(1), savepoint("s"), insert(2, 3), rollbackTo("s"), insert(4), commit])).toEqual([1, 4]);
  });

  it("forgets savepoints set after the one rolled back to, keeps that one, and moves a name set twice", () => {
    const events = [begin, insert(1), savepoint("a"), insert(2), savepoint("b"), insert(3), rollbackTo("a"), insert(4), rollbackTo("b"), insert(5), rollbackTo("a"), insert(6), commit];
    expect(committedIds(events)).toEqual([1, 6]);
    expect(committedIds([begin, savepoint("a"), insert(1), savepoint("a"), insert(2), rollbackTo("a"), commit])).toEqual([1]);
    expect(committedIds([begin, insert(1), rollbackTo("never"), commit])).toEqual([1]);
  });

  it("cuts back rows already spilled to the transaction's file", () => {
    const events: SourceEvent[] = [begin, insert(1), insert(2), savepoint("s")];
    for (let id = 3; id <= 30; id++) events.push(insert(id));
    events.push(rollbackTo("s"), insert(31), commit);
    expect(committedIds(events, 4, 3)).toEqual([1, 2, 31]);
  });

  it("matches a model of the transaction whatever the spill thresholds (random savepoints and rollbacks)", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const events: SourceEvent[] = [begin];
      let model: number[] = [];
      const marks = new Map<string, number>();
      let next = 1;
      for (let step = 0; step < 40; step++) {
        const what = random(10);
        const name = `s${random(3)}`;
        if (what < 6) {
          const ids = Array.from({ length: 1 + random(3) }, () => next++);
          events.push(insert(...ids));
          model.push(...ids);
        } else if (what < 8) {
          events.push(savepoint(name));
          marks.delete(name);
          marks.set(name, model.length);
        } else {
          events.push(rollbackTo(name));
          const at = marks.get(name);
          if (at === undefined) continue;
          model = model.slice(0, at);
          const names = [...marks.keys()];
          for (const later of names.slice(names.indexOf(name) + 1)) marks.delete(later);
        }
      }
      events.push(commit);
      const spillAfter = 1 + random(8);
      expect(committedIds(events, spillAfter, 1 + random(4)), `round ${round}`).toEqual(model);
      expect(committedIds(events), `round ${round} in memory`).toEqual(model);
    }
  });
});
