// The record emitter end to end over fakes of the sender: binlog rows (by table map position,
// as the reader hands them over) → catalog → mapping → both encoders. Columns named like
// Object.prototype members, tables the catalog no longer knows, rows older than an ALTER, and
// values that do not convert: every row is sent right or the pipeline stops with a clear error.
import { describe, expect, it } from "vitest";
import type { ColumnInfo, TableInfo } from "../../src/runtime/change-event.js";
import { decodeDtsAvro, type DtsRecord } from "../../src/messages/dts-avro.js";
import { readableDtsRecord } from "../../src/messages/readable.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import type { ObjectRule, Pipeline } from "../../src/generated/plan.js";
import { emitterParts } from "./emitter-parts.js";
import { RecordEmitter } from "../../src/runtime/record-emitter.js";
import type { OutgoingMessage } from "../../src/runtime/sink/batch-sender.js";
import type { RawRow, RowsKind } from "../../src/runtime/source/binlog-events.js";
import { TableCatalog } from "../../src/runtime/source/table-catalog.js";
import { BinlogTableMap } from "../../src/runtime/source/table-map.js";
import type { AssembledUnit } from "../../src/runtime/source/transaction-assembler.js";
import { column, table } from "./fixtures.js";

type Format = Pipeline["format"];

function rule(rename: Record<string, string> = {}): ObjectRule {
  return {
    origin: { file: "t.dts", line: 1, column: 1 }, database: { exact: "shop" }, table: null, target: { database: null, table: null, topic: null },
    // the plan is JSON: renames are own members, `__proto__` included
    columns: { include: null, exclude: [], rename: JSON.parse(JSON.stringify(rename)) as Record<string, string> }, filter: null, partition: null,
  };
}

function setup(format: Format, load: (database: string, name: string) => TableInfo | null, rules = [rule()], ddl: Pipeline["ddl"] = "ignore") {
  const pipeline = { format, ddl, source: { timezone: "+00:00" }, partition: { policy: "primary-key-hash" }, destination: { topic: "out", ddlTopic: "out" } } as unknown as Pipeline;
  const sent: OutgoingMessage[] = [];
  const emitter = new RecordEmitter(emitterParts(pipeline, rules, new TableCatalog(async (d, t) => load(d, t), { server: "db:3306" }), sent));
  const run = async (unit: AssembledUnit) => {
    if (emitter.needsPreparation(unit)) await emitter.prepare(unit);
    emitter.emit(unit);
  };
  return { sent, run };
}

function transaction(map: BinlogTableMap, kind: RowsKind, rows: RawRow[] | { before: RawRow; after: RawRow }[]): AssembledUnit {
  return {
    type: "transaction", gtid: null, xid: "9", timestampSeconds: 1_700_000_000,
    position: { file: "mariadb-bin.000007", offset: 4242, gtidSet: null },
    rows: [{ type: "rows", kind, database: map.database, table: map.table, tableMap: map, rows, timestampSeconds: 1_700_000_000 }],
  };
}

const fullMap = (name: string, columns: ColumnInfo[], primaryKey: string[]) =>
  new BinlogTableMap("shop", name, columns.length, columns.map((c) => c.name), { columns: () => columns, primaryKey, signature: JSON.stringify([columns, primaryKey]) });

/** Each message's rows as column → text, whatever the format. */
function decoded(format: Format, sent: OutgoingMessage[]): { type: string; after: Record<string, unknown> | null; before: Record<string, unknown> | null; types: unknown }[] {
  return sent.flatMap((m) => {
    const value = m.value as Buffer;
    if (format === "dts-avro") {
      const record = readableDtsRecord(decodeDtsAvro(value).record as DtsRecord, null) as { operation: string; after: Record<string, unknown> | null; before: Record<string, unknown> | null; fields: unknown };
      return [{ type: record.operation, after: record.after, before: record.before, types: record.fields }];
    }
    const message = JSON.parse(value.toString("utf8")) as { type: string; data: Record<string, unknown>[]; old: Record<string, unknown>[] | null; mysqlType: unknown };
    return message.data.map((row, i) => {
      const deleted = message.type === "DELETE";
      return { type: message.type, after: deleted ? null : row, before: deleted ? row : message.old ? { ...row, ...message.old[i] } : null, types: message.mysqlType };
    });
  });
}

const members = (entries: [string, unknown][]) => Object.fromEntries(entries);

describe.each(["canal-json", "dts-avro"] as const)("record emitter (%s)", (format) => {
  const oddColumns = [column("id", "bigint"), column("constructor", "bigint"), column("toString", "varchar"), column("valueOf", "decimal", { precision: 10, scale: 2 }), column("__proto__", "varchar"), column("v", "varchar")];

  it("sends columns named like Object.prototype members, and renames to such names", async () => {
    const odd = table("shop", "odd", oddColumns, ["id"]);
    const { sent, run } = setup(format, () => odd, [rule({ v: "hasOwnProperty" })]);
    await run(transaction(fullMap("odd", oddColumns, ["id"]), "insert", [["1", "11", "ts", "2.50", "proto", "own"]]));
    const [change] = decoded(format, sent);
    expect(change?.after).toEqual(members([["id", "1"], ["constructor", "11"], ["toString", "ts"], ["valueOf", "2.50"], ["__proto__", "proto"], ["hasOwnProperty", "own"]]));
    expect(JSON.parse((sent[0]?.key as Buffer).toString())).toEqual(["shop", "odd", "1"]);
  });

  it("sends rows of a table information_schema no longer shows, described by the binlog", async () => {
    const { sent, run } = setup(format, () => null);
    await run(transaction(fullMap("gone", oddColumns, ["id"]), "delete", [["7", "1", "a", "0.10", "b", "c"]]));
    expect(decoded(format, sent).map((c) => [c.type, c.before?.id ?? null])).toEqual([["DELETE", "7"]]);
  });

  it("stops, rather than skip the rows, when neither information_schema nor the binlog describes them", async () => {
    const { sent, run } = setup(format, () => null);
    const error = await run(transaction(new BinlogTableMap("shop", "gone", 2, ["id", "x"], null), "insert", [["1", "x"]])).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).message).toMatch(/shop\.gone.*db:3306/);
    expect(sent).toHaveLength(0);
  });

  it("decodes rows written before an ALTER with the types and charsets of that time", async () => {
    const now = table("shop", "t", [column("id", "bigint"), column("n", "int", { typeCode: 3 }), column("s", "varchar")], ["id"]);
    const then = [column("id", "bigint"), column("n", "varchar", { columnType: "varchar(9)", typeCode: 15 }), column("s", "varchar", { charset: "latin1" }), column("gone", "bigint")];
    const { sent, run } = setup(format, () => now);
    await run(transaction(fullMap("t", then, ["id"]), "insert", [["1", "abc", "café", "5"]]));
    await run(transaction(fullMap("t", now.columns, ["id"]), "insert", [["2", 42, "naïve"]]));
    const [old, current] = decoded(format, sent);
    expect(old?.after).toEqual({ id: "1", n: "abc", s: "café", gone: "5" });
    expect(current?.after).toEqual({ id: "2", n: "42", s: "naïve" });
    expect(old?.types).not.toEqual(current?.types);
  });

  it("stops with the column and the position when a value does not convert", async () => {
    const now = table("shop", "t", [column("id", "bigint"), column("n", "bigint")], ["id"]);
    const { run } = setup(format, () => now);
    const error = await run(transaction(new BinlogTableMap("shop", "t", 2, ["id", "n"], null), "insert", [["1", "abc"]])).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).message).toMatch(/column n .* of shop\.t .*mariadb-bin\.000007:4242/);
    expect((error as RuntimeError).hint).toMatch(/binlog_row_metadata = FULL/);
  });
});

describe("record emitter: online schema-change tools with ddl = capture", () => {
  const ddl = (sql: string, offset: number): AssembledUnit => ({
    type: "ddl",
    event: { type: "ddl", database: "shop", sql, gtid: null, position: { file: "mariadb-bin.000007", offset, gtidSet: null }, timestampSeconds: 1_700_000_000 },
  });
  const sentDdl = (sent: OutgoingMessage[]) => sent.map((m) => JSON.parse(m.value.toString("utf8")) as { isDdl: boolean; table: string; type: string; sql: string });
  const ptOsc = [
    "CREATE TABLE `shop`.`_orders_new` (`id` int NOT NULL, PRIMARY KEY (`id`))",
    "ALTER TABLE `shop`.`_orders_new` ADD COLUMN note INT",
    "CREATE DEFINER=`root`@`localhost` TRIGGER `pt_osc_shop_orders_ins` AFTER INSERT ON `shop`.`orders` FOR EACH ROW REPLACE INTO `shop`.`_orders_new` (`id`) VALUES (NEW.`id`)",
    "RENAME TABLE `shop`.`orders` TO `shop`.`_orders_old`, `shop`.`_orders_new` TO `shop`.`orders`",
    "DROP TABLE IF EXISTS `_orders_old` /* generated by server */",
    "DROP TRIGGER IF EXISTS `shop`.`pt_osc_shop_orders_ins`",
  ];

  it("sends pt-online-schema-change's swap as one ALTER of the table, and nothing else of the tool", async () => {
    const { sent, run } = setup("canal-json", () => null, [rule()], "capture");
    for (const [i, sql] of ptOsc.entries()) await run(ddl(sql, 100 + i));
    expect(sentDdl(sent)).toEqual([expect.objectContaining({ isDdl: true, table: "orders", type: "ALTER", sql: "ALTER TABLE `shop`.`orders` ADD COLUMN note INT" })]);
  });

  it("sends the RENAME as it is when the ALTER of the copy came before the stream", async () => {
    const { sent, run } = setup("canal-json", () => null, [rule()], "capture");
    for (const [i, sql] of ptOsc.slice(3).entries()) await run(ddl(sql, 100 + i));
    expect(sentDdl(sent)).toEqual([expect.objectContaining({ table: "orders", sql: ptOsc[3] })]);
  });
});

describe("record emitter: DDL naming several tables, with ddl = capture", () => {
  const ddl = (sql: string): AssembledUnit => ({
    type: "ddl",
    event: { type: "ddl", database: "shop", sql, gtid: null, position: { file: "mariadb-bin.000007", offset: 100, gtidSet: null }, timestampSeconds: 1_700_000_000 },
  });
  const exact = (name: string): ObjectRule => ({ ...rule(), table: { exact: name } });
  const columns = [column("id", "bigint")];

  it("sends the statement once for the first selected table it names, and reloads every table it names", async () => {
    const loads: string[] = [];
    const { sent, run } = setup("canal-json", (_d, name) => (loads.push(name), table("shop", name, columns, ["id"])), [exact("sel"), exact("tl")], "capture");
    const insert = (name: string) => run(transaction(fullMap(name, columns, ["id"]), "insert", [["1"]]));
    await insert("sel");
    await insert("tl");
    for (const sql of [
      "RENAME TABLE unsel_tmp TO sel",
      "ALTER TABLE tmpx RENAME TO sel",
      "rename table if exists other1 to other2",
      "alter table if exists sel drop primary key",
      "DROP TABLE `unsel3`,`tl` /* generated by server */",
      "RENAME TABLE a TO b, tl TO c, sel TO d",
    ]) {
      await run(ddl(sql));
      await insert("sel");
      await insert("tl");
    }
    const messages = sent.map((m) => JSON.parse(m.value.toString("utf8")) as { isDdl: boolean; table: string; type: string });
    expect(messages.filter((m) => m.isDdl).map((m) => [m.type, m.table])).toEqual([["RENAME", "sel"], ["ALTER", "sel"], ["ALTER", "sel"], ["ERASE", "tl"], ["RENAME", "tl"]]);
    // loaded at the start, then again after each statement that names it
    expect(loads.filter((name) => name === "sel")).toHaveLength(5);
    expect(loads.filter((name) => name === "tl")).toHaveLength(3);
  });
});
