// Byte fixtures: the exact bytes of each format for a fixed set of events, checked in under
// test/fixtures/formats/. Run with ACCEPT=1 to rewrite them after an intended change, then
// review the diff (the .json companions show DTS Avro records in readable form).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChangeEvent, TableInfo } from "../../src/runtime/change-event.js";
import { readableMessage } from "../../src/messages/readable.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { column, ddl, ordersTable, pipeline, row } from "./helpers.js";

const dir = new URL("../fixtures/formats/", import.meta.url);

const extremes: TableInfo = {
  database: "lab.v1", table: "extremes",
  columns: [
    column("id", "bigint(20) unsigned"), column("d65", "decimal(65,30)"), column("f", "float"), column("dz", "double"),
    column("dt6", "datetime(6)"), column("ts6", "timestamp(6)"), column("tzero", "timestamp"), column("tm", "time(6)"),
    column("dzero", "date"), column("yr", "year(4)"), column("bits", "bit(64)"), column("e", "enum('a','b')"),
    column("s", "set('x','y','z')"), column("emoji", "varchar(16)"), column("doc", "json"), column("blob", "blob", { charset: "binary" }),
    column("bin", "binary(2)", { charset: "binary" }), column("note", "text"), column("n", "int(11)"),
  ],
  primaryKey: ["id"], uniqueKeys: { uk_emoji: ["emoji"] },
};
const extremeRow = [
  18446744073709551615n, "-99999999999999999999999999999999999.999999999999999999999999999999", Math.fround(3.4028234663852886e38), -0,
  "9999-12-31 23:59:59.999999", { kind: "timestamp" as const, epochSeconds: 2147483647, micros: 999999 }, { kind: "timestamp" as const, epochSeconds: 0, micros: 0 }, "-838:59:59.000000",
  "0000-00-00", 0, 18446744073709551615n, "b", "x,z", "😀𝄞é", '{"big": 18446744073709551615}', new Uint8Array([0, 1, 0x7f, 0x80, 0xff]),
  new Uint8Array([0xde, 0xad]), "línea\n\"two\"", null,
];

const orders = ordersTable();
const created = [1001n, "NEW", "25.00", null, "2024-05-01 10:00:00.123"];
const paid = [1001n, "PAID", "25.00", null, "2024-05-01 10:00:00.123"];
const events: [string, ChangeEvent][] = [
  ["orders-insert", row(orders, "insert", null, created, 1714557600)],
  ["orders-update", row(orders, "update", created, paid, 1714557660)],
  ["orders-delete", row(orders, "delete", paid, null, 1714557720)],
  ["orders-snapshot", row(orders, "insert", null, created, 1714557600, true)],
  ["orders-ddl", ddl("shop", "orders", "ALTER TABLE orders ADD COLUMN coupon VARCHAR(32) NULL", 1714557780)],
  ["create-database-ddl", ddl("", "", "CREATE DATABASE lab", 1714557790)],
  ["extremes-insert", row(extremes, "insert", null, extremeRow, 1714557800)],
];

describe.each(["dts-avro", "canal-json"] as const)("%s byte fixtures", (format) => {
  const encoder = createEncoder(pipeline(format, "+08:00"), { nowMs: () => 1714557800123, gtidSet: () => "0-1-42", firstRecordId: 100 });
  it.each(events)("%s", (name, event) => {
    const [message] = event.kind === "ddl" ? encoder.encodeDdl(event) : encoder.encodeRows([event]);
    const file = new URL(`${name}.${format === "dts-avro" ? "avro" : "json"}`, dir);
    if (process.env.ACCEPT || !existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, message!.value);
      if (format === "dts-avro") writeFileSync(new URL(`${name}.avro.readable.json`, dir), `${JSON.stringify(readableMessage(message!.value), null, 2)}\n`);
    }
    expect(message!.value.toString("hex")).toBe(readFileSync(file).toString("hex"));
  });
});
