// A row the stream logged after a DDL changed a column's type, or renamed or dropped it, while the table was being copied:
// the copy's columns cannot take it, and a new session goes on with the table as it is now.
import { describe, expect, it } from "vitest";
import type { ObjectRule } from "../../src/generated/plan.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { admitRowsEvent } from "../../src/runtime/snapshot/stream-admission.js";
import { TableReconciler } from "../../src/runtime/snapshot/table-reconciler.js";
import type { SnapshotTable } from "../../src/runtime/snapshot/snapshot-tables.js";
import { BinlogTableMap } from "../../src/runtime/source/table-map.js";
import type { RowsEvent } from "../../src/runtime/source/transaction-assembler.js";
import { column, table } from "../runtime/fixtures.js";

describe("stream admission during a copy", () => {
  it("fails retriably, naming the table and the column, when a logged row no longer fits the copy's columns", async () => {
    const info = table("shop", "big", [column("id", "bigint"), column("c", "bigint")]);
    const snapshot = { id: "shop.big", info, rule: {} as ObjectRule, key: null, estimatedRows: 10 } as SnapshotTable;
    const event: RowsEvent = { type: "rows", kind: "insert", database: "shop", table: "big", tableMap: new BinlogTableMap("shop", "big", 2, ["id", "c"], null), rows: [[1, "cc"]], timestampSeconds: 1 };
    const convert = (value: unknown) => (typeof value === "number" ? BigInt(value) : BigInt(value as string));
    const admitted = admitRowsEvent(event, { file: "b.000001", offset: 4 }, snapshot, new TableReconciler(null), convert);
    await expect(admitted).rejects.toBeInstanceOf(RuntimeError);
    await expect(admitted).rejects.toMatchObject({ retriable: true, message: expect.stringMatching(/^column c of shop\.big changed while the initial sync copied the table \(a row logged since does not fit it/) });
  });

  it("fails retriably when a column the copy read is no longer in the table map (renamed or dropped), rather than send NULL", async () => {
    const info = table("shop", "big", [column("id", "bigint"), column("c", "varchar")]);
    const snapshot = { id: "shop.big", info, rule: {} as ObjectRule, key: null, estimatedRows: 10, describedAt: { file: "b.000001", offset: 4 } } as SnapshotTable;
    const event: RowsEvent = { type: "rows", kind: "insert", database: "shop", table: "big", tableMap: new BinlogTableMap("shop", "big", 2, ["id", "c2"], null), rows: [[1, "c77"]], timestampSeconds: 1 };
    const admitted = admitRowsEvent(event, { file: "b.000001", offset: 900 }, snapshot, new TableReconciler(null), (value) => value as never);
    await expect(admitted).rejects.toMatchObject({ retriable: true, message: expect.stringMatching(/^column c of shop\.big changed while the initial sync copied the table \(it is no longer in the table \(renamed or dropped\)\)/) });
  });

  it("decides on an event logged before the copy described the table by its keys alone, without a new session", async () => {
    // A new session's copy reads the table renamed c → c2; the stream replays rows logged before that.
    const info = table("shop", "big", [column("id", "bigint"), column("c2", "varchar")]);
    const snapshot = { id: "shop.big", info, rule: {} as ObjectRule, key: null, estimatedRows: 10, describedAt: { file: "b.000002", offset: 4 } } as SnapshotTable;
    const event: RowsEvent = { type: "rows", kind: "insert", database: "shop", table: "big", tableMap: new BinlogTableMap("shop", "big", 2, ["id", "c"], null), rows: [[1, "c77"]], timestampSeconds: 1 };
    const reconciler = new TableReconciler(null);
    await expect(admitRowsEvent(event, { file: "b.000001", offset: 900 }, snapshot, reconciler, (value) => value as never)).resolves.toBeInstanceOf(Array);
  });
});
