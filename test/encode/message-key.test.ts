// Record keys name the row so compacted topics keep the latest message per primary key.
import { describe, expect, it } from "vitest";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { messageKey } from "../../src/runtime/encode/message-key.js";
import { column, ordersTable, pipeline, row } from "./helpers.js";

const orders = ordersTable();
const image = (id: bigint, status: string) => [id, status, "1.00", null, "2024-05-01 10:00:00.000"];

describe("message key", () => {
  it("is the database, table and primary-key values as a JSON array", () => {
    expect(messageKey(row(orders, "insert", null, image(1001n, "NEW"), 0))?.toString()).toBe('["shop","orders","1001"]');
  });

  it("is the same for every operation on one row, whatever the policy", () => {
    const keys = [
      row(orders, "insert", null, image(7n, "NEW"), 0),
      row(orders, "update", image(7n, "NEW"), image(7n, "PAID"), 0),
      row(orders, "delete", image(7n, "PAID"), null, 0),
    ].flatMap((r) => (["partition-zero", "table-hash", "primary-key-hash"] as const).map((policy) => messageKey(r, { policy })?.toString()));
    expect(new Set(keys)).toEqual(new Set(['["shop","orders","7"]']));
  });

  it("keys by the primary key only: a table with unique keys but none the server took as its primary key has a null key", () => {
    // A nullable unique key would give every row holding NULL one key, and a compacted topic would keep one of them.
    const byUnique = { ...orders, primaryKey: [], uniqueKeys: { uk_z: ["id"], uk_a: ["status"] } };
    expect(messageKey(row(byUnique, "insert", null, image(1n, "NEW"), 0))).toBeNull();
    expect(messageKey(row({ ...orders, primaryKey: [] }, "insert", null, image(1n, "NEW"), 0))).toBeNull();
  });

  it("keeps composite, binary and temporal key values exact and unambiguous", () => {
    const table = {
      database: "d", table: "t", uniqueKeys: {}, primaryKey: ["a", "b", "c"],
      columns: [column("a", "varbinary(4)", { charset: "binary" }), column("b", "timestamp(6)"), column("c", "varchar(9)")],
    };
    const key = messageKey(row(table, "insert", null, [new Uint8Array([0, 255]), { kind: "timestamp", epochSeconds: 5, micros: 7 }, 'x","y'], 0));
    expect(JSON.parse(key!.toString())).toEqual(["d", "t", "AP8=", "5.000007", 'x","y']);
  });

  it("stays as written while later keys fill and replace the slab they are written into", () => {
    const names = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? `naïve-${i}` : `n${i}`));
    const byName = { ...orders, primaryKey: ["status"] };
    const keys = names.map((name) => messageKey(row(byName, "insert", null, image(1n, name), 0)));
    expect(keys.map((key) => key?.toString())).toEqual(names.map((name) => `["shop","orders",${JSON.stringify(name)}]`));
  });

  it("is null for DDL in both formats", () => {
    for (const format of ["dts-avro", "canal-json"] as const) {
      const [message] = createEncoder(pipeline(format)).encodeDdl({ kind: "ddl", database: "d", table: "t", sql: "DROP TABLE t", eventTimeSeconds: 0, position: { file: "", offset: 0, gtid: null }, transactionId: "", serverVersion: "" });
      expect(message!.key).toBeNull();
    }
  });
});
