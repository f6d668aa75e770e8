// Canal FlatMessages against worked examples of canal's shapes (docs/formats.md, Canal JSON).
import { describe, expect, it } from "vitest";
import { canalDdlType, canalSqlType } from "../../src/runtime/encode/canal-json.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { column, ddl, ordersTable, pipeline, row } from "./helpers.js";

const table = ordersTable();
const oneLine = (json: string) => JSON.stringify(JSON.parse(json));

function encoder(ts: number, id: number) {
  const e = createEncoder(pipeline("canal-json"), { nowMs: () => ts, gtidSet: () => "", firstRecordId: 1 });
  // batch ids count from 1 per encoder; advance to the example's id
  for (let i = 1; i < id; i++) e.encodeDdl(ddl("x", "", "SELECT 1", 0));
  return e;
}

const paid = [1001n, "PAID", "25.00", null, "2024-05-01 10:00:00.123"];
const created = [1001n, "NEW", "25.00", null, "2024-05-01 10:00:00.123"];

describe("canal-json encoder", () => {
  it("writes the INSERT example byte for byte", () => {
    const [message] = encoder(1714557600187, 7).encodeRows([row(table, "insert", null, created, 1714557600)]);
    expect(message!.value.toString()).toBe(oneLine(`{"data":[{"id":"1001","status":"NEW","amount":"25.00","note":null,"created_at":"2024-05-01 10:00:00.123"}],
      "database":"shop","es":1714557600000,"gtid":"","id":7,"isDdl":false,
      "mysqlType":{"id":"bigint(20)","status":"varchar(16)","amount":"decimal(10,2)","note":"text","created_at":"datetime(3)"},
      "old":null,"pkNames":["id"],"sql":"","sqlType":{"id":-5,"status":12,"amount":3,"note":2005,"created_at":93},
      "table":"orders","ts":1714557600187,"type":"INSERT"}`));
    expect(message!.key!.toString()).toBe('["shop","orders","1001"]');
  });

  it("writes the UPDATE example with only the changed column in old", () => {
    const [message] = encoder(1714557660041, 8).encodeRows([row(table, "update", created, paid, 1714557660)]);
    expect(message!.value.toString()).toBe(oneLine(`{"data":[{"id":"1001","status":"PAID","amount":"25.00","note":null,"created_at":"2024-05-01 10:00:00.123"}],
      "database":"shop","es":1714557660000,"gtid":"","id":8,"isDdl":false,
      "mysqlType":{"id":"bigint(20)","status":"varchar(16)","amount":"decimal(10,2)","note":"text","created_at":"datetime(3)"},
      "old":[{"status":"NEW"}],"pkNames":["id"],"sql":"","sqlType":{"id":-5,"status":12,"amount":3,"note":2005,"created_at":93},
      "table":"orders","ts":1714557660041,"type":"UPDATE"}`));
  });

  it("writes the DELETE example with the deleted row in data", () => {
    const [message] = encoder(1714557720009, 9).encodeRows([row(table, "delete", paid, null, 1714557720)]);
    expect(JSON.parse(message!.value.toString())).toMatchObject({ data: [{ id: "1001", status: "PAID" }], old: null, type: "DELETE", es: 1714557720000, id: 9 });
  });

  it("writes the DDL example", () => {
    const [message] = encoder(1714557780015, 10).encodeDdl(ddl("shop", "orders", "ALTER TABLE orders ADD COLUMN coupon VARCHAR(32) NULL", 1714557780));
    expect(message!.value.toString()).toBe(oneLine(`{"data":null,"database":"shop","es":1714557780000,"gtid":"","id":10,"isDdl":true,
      "mysqlType":null,"old":null,"pkNames":null,"sql":"ALTER TABLE orders ADD COLUMN coupon VARCHAR(32) NULL",
      "sqlType":null,"table":"orders","ts":1714557780015,"type":"ALTER"}`));
    expect(message!.key).toBeNull();
  });

  it("names DDL kinds as canal does", () => {
    expect(["CREATE TABLE t (a int)", "create index i on t(a)", "DROP INDEX i ON t", "drop table t", "RENAME TABLE a TO b", "TRUNCATE t", "CREATE DATABASE x", "/* c */ ALTER TABLE t ADD b int"].map(canalDdlType))
      .toEqual(["CREATE", "CINDEX", "DINDEX", "ERASE", "RENAME", "TRUNCATE", "QUERY", "ALTER"]);
  });

  it("widens UNSIGNED integer sqlType codes as DTS documents", () => {
    expect(["int(10) unsigned", "bigint(20) unsigned", "tinyint(3) unsigned", "int(11)"].map((t) => canalSqlType(column("c", t)))).toEqual([-5, 3, 5, 4]);
  });

  it("renders the values users trip over the way canal does", () => {
    const t = {
      database: "d", table: "t", primaryKey: [], uniqueKeys: {},
      columns: [
        column("f", "float"), column("dz", "double"), column("big", "bigint(20) unsigned"), column("ts", "timestamp(6)"),
        column("e", "enum('a','b')"), column("s", "set('x','y','z')"), column("b", "varbinary(4)", { charset: "binary" }),
        column("bits", "bit(64)"), column("y", "year(4)"), column("tm", "time(1)"),
      ],
    };
    const e = createEncoder(pipeline("canal-json", "+08:00"), { nowMs: () => 0 });
    const [message] = e.encodeRows([row(t, "insert", null, [
      Math.fround(0.1), -0, 18446744073709551615n, { kind: "timestamp", epochSeconds: 1, micros: 5 }, "b", "x,z",
      new Uint8Array([0, 0x7f, 0x80, 0xff]), 18446744073709551615n, 0, "-838:59:59.0",
    ], 0)]);
    expect(JSON.parse(message!.value.toString()).data[0]).toEqual({
      f: "0.1", dz: "-0.0", big: "18446744073709551615", ts: "1970-01-01 08:00:01.000005", e: "2", s: "5",
      b: "\u0000\u007f\u0080\u00ff", bits: "18446744073709551615", y: "0000", tm: "-838:59:59.0",
    });
    expect(message!.key).toBeNull();
  });

  it("puts the rows of a key-less table in one message and keyed rows in one message each", () => {
    const keyless = { ...table, primaryKey: [] };
    const e = createEncoder(pipeline("canal-json"), { nowMs: () => 0 });
    expect(e.encodeRows([row(keyless, "insert", null, created, 1), row(keyless, "insert", null, paid, 1)]).map((m) => JSON.parse(m.value.toString()).data.length)).toEqual([2]);
    expect(e.encodeRows([row(table, "insert", null, created, 1), row(table, "insert", null, paid, 1)]).map((m) => JSON.parse(m.value.toString()).data.length)).toEqual([1, 1]);
  });

  it("sends full-load rows as INSERT", () => {
    const [message] = createEncoder(pipeline("canal-json"), { nowMs: () => 0 }).encodeRows([row(table, "insert", null, created, 1, true)]);
    expect(JSON.parse(message!.value.toString()).type).toBe("INSERT");
  });
});
