// DDL through the record emitter with ddl = capture, as the binlog carries it: which tables'
// metadata is reloaded, and which DDL record (table, Canal type) goes out. Statements are the
// forms the DDL probe found lost or misnamed: partition changes naming a selected table second,
// comments inside the statement, and names spelled in another case on a server with
// lower_case_table_names = 1 (as that server logged them; its rows events name `pddl`.`orders`).
import { describe, expect, it, vi } from "vitest";
import type { ObjectRule, Pipeline } from "../../src/generated/plan.js";
import { emitterParts } from "./emitter-parts.js";
import { RecordEmitter } from "../../src/runtime/record-emitter.js";
import type { OutgoingMessage } from "../../src/runtime/sink/batch-sender.js";
import { statementDialect, type StatementDialect } from "../../src/runtime/source/statement-dialect.js";
import { TableCatalog } from "../../src/runtime/source/table-catalog.js";
import type { Logger } from "../../src/runtime/logger.js";

function rule(database: string, table: string | null): ObjectRule {
  return {
    origin: { file: "t.dts", line: 1, column: 1 }, database: { exact: database }, table: table === null ? null : { exact: table },
    target: { database: null, table: null, topic: null }, columns: { include: null, exclude: [], rename: {} }, filter: null, partition: null,
  };
}

/** Runs each statement as a DDL unit of `database`; returns the DDL records sent and the tables whose metadata was dropped. */
function capture(rules: ObjectRule[], statements: string[], options: { database?: string; dialect?: StatementDialect; ddl?: "capture" | "ignore"; log?: Logger } = {}) {
  const pipeline = { format: "canal-json", ddl: options.ddl ?? "capture", source: { timezone: "+00:00" }, partition: { policy: "primary-key-hash" }, destination: { topic: "out", ddlTopic: "out" } } as unknown as Pipeline;
  const sent: OutgoingMessage[] = [];
  const catalog = new TableCatalog(async () => null, { server: "db:3306" });
  const reloaded: string[] = [];
  vi.spyOn(catalog, "invalidate").mockImplementation((database, table) => void reloaded.push(`${database}.${table}`));
  const emitter = new RecordEmitter({ ...emitterParts(pipeline, rules, catalog, sent), dialect: options.dialect, log: options.log });
  for (const [i, sql] of statements.entries()) {
    const position = { file: "mariadb-bin.000007", offset: 100 + i, gtidSet: null };
    emitter.emit({ type: "ddl", event: { type: "ddl", database: options.database ?? "shop", sql, gtid: null, position, timestampSeconds: 1_700_000_000 } });
  }
  const records = sent.map((m) => JSON.parse(m.value.toString("utf8")) as { database: string; table: string; type: string; sql: string });
  return { records: records.map((r) => [r.type, `${r.database}.${r.table}`]), sql: records.map((r) => r.sql), reloaded };
}

describe("DDL naming a selected table second (partition changes)", () => {
  const selected = [rule("shop", "plain"), rule("shop", "gone"), rule("shop", "newt")];

  it("sends the statement for the selected table it exchanges, consumes or creates, and reloads both tables", () => {
    const { records, reloaded } = capture(selected, [
      "ALTER TABLE other.opt EXCHANGE PARTITION q0 WITH TABLE shop.plain",
      "ALTER TABLE other.opt CONVERT TABLE shop.gone TO PARTITION q3 VALUES LESS THAN (300)",
      "ALTER TABLE other.opt CONVERT PARTITION q1 TO TABLE shop.newt",
      "ALTER TABLE other.opt TRUNCATE PARTITION q0",
    ]);
    expect(records).toEqual([["ALTER", "shop.plain"], ["ALTER", "shop.gone"], ["ALTER", "shop.newt"]]);
    expect(reloaded).toEqual(["other.opt", "shop.plain", "other.opt", "shop.gone", "other.opt", "shop.newt", "other.opt"]);
  });
});

describe("DDL with comments and wrappers around or inside it", () => {
  it("sends each as a DDL record of its table, with the statement as logged", () => {
    const statements = [
      "ALTER TABLE -- dash\n  t1 ADD c3 INT DEFAULT 3",
      "ALTER TABLE /* x */ t1 ADD c INT",
      "-- V2__add_column.sql\n-- adds column c1\nALTER TABLE shop.t1 ADD c1 INT DEFAULT 1",
      "SET STATEMENT lock_wait_timeout=5 FOR ALTER TABLE t1 ADD c2 INT DEFAULT 1",
      "/*M!100100 ALTER TABLE t1 ADD c6 INT DEFAULT 6 */",
    ];
    const { records, sql, reloaded } = capture([rule("shop", null)], statements);
    expect(records).toEqual(statements.map(() => ["ALTER", "shop.t1"]));
    expect(sql).toEqual(statements);
    expect(reloaded).toEqual(statements.map(() => "shop.t1"));
  });

  it("reloads a table whose ALTER hides in a MariaDB versioned comment, so the system-versioning check sees it", () => {
    expect(capture([rule("shop", "orders")], ["/*M!100300 ALTER TABLE orders ADD SYSTEM VERSIONING */"]).reloaded).toEqual(["shop.orders"]);
  });
});

describe("DDL on a server with lower_case_table_names = 1", () => {
  const lowercase = statementDialect("10.11.19-MariaDB-0+deb12u1-log", "1");
  // As that server logged them: the statement as typed, the session's database in lower case.
  const statements = ["CREATE TABLE Orders (id INT PRIMARY KEY, v VARCHAR(10))", "ALTER TABLE ORDERS ADD d INT DEFAULT 2", "ALTER TABLE Pddl.Orders ADD g INT DEFAULT 5", "TRUNCATE TABLE Orders"];

  it("sends DDL spelled in any case for a table selected by its stored name", () => {
    const { records, reloaded } = capture([rule("pddl", "orders")], statements, { database: "pddl", dialect: lowercase });
    expect(records).toEqual([["CREATE", "pddl.orders"], ["ALTER", "pddl.orders"], ["ALTER", "pddl.orders"], ["TRUNCATE", "pddl.orders"]]);
    expect(reloaded).toEqual(statements.map(() => "pddl.orders"));
  });

  it("names the table and the database as its rows do", () => {
    const { records } = capture([rule("pddl", null)], [...statements, "CREATE DATABASE Pddl"], { database: "pddl", dialect: lowercase });
    expect(records).toEqual([["CREATE", "pddl.orders"], ["ALTER", "pddl.orders"], ["ALTER", "pddl.orders"], ["TRUNCATE", "pddl.orders"], ["QUERY", "pddl."]]);
  });

  it("sends an online schema change spelled in another case as the ALTER of the table", () => {
    const { records, sql } = capture([rule("pddl", null)], ["ALTER TABLE `Pddl`.`_Orders_new` ADD COLUMN note INT", "RENAME TABLE `Pddl`.`Orders` TO `Pddl`.`_Orders_old`, `Pddl`.`_Orders_new` TO `Pddl`.`Orders`"], { database: "pddl", dialect: lowercase });
    expect(records).toEqual([["ALTER", "pddl.orders"]]);
    expect(sql).toEqual(["ALTER TABLE `pddl`.`orders` ADD COLUMN note INT"]);
  });

  it("keeps the spelling where names are case-sensitive", () => {
    expect(capture([rule("pddl", "orders")], statements, { database: "pddl", dialect: statementDialect("10.11.6-MariaDB", "0") }).records).toEqual([]);
  });
});

describe("DDL while ddl = ignore", () => {
  it("says in the log that a TRUNCATE of a selected table emptied it, as consumers keep its rows", () => {
    const warnings: [Record<string, unknown>, string][] = [];
    const log = { warn: (fields: Record<string, unknown>, message: string) => void warnings.push([fields, message]) } as unknown as Logger;
    const { records } = capture([rule("shop", "orders")], ["TRUNCATE TABLE orders", "TRUNCATE TABLE other", "ALTER TABLE orders ADD COLUMN x INT"], { ddl: "ignore", log });
    expect(records).toEqual([]);
    expect(warnings.map(([fields]) => fields.table)).toEqual(["shop.orders"]);
    expect(warnings[0]?.[1]).toMatch(/TRUNCATE emptied this table; with ddl = ignore .*consumers keep its rows/);
  });
});

describe("partition changes while ddl = ignore", () => {
  it("says in the log which selected tables a partition's TRUNCATE, DROP, EXCHANGE or CONVERT moved rows of", () => {
    const warnings: [Record<string, unknown>, string][] = [];
    const log = { warn: (fields: Record<string, unknown>, message: string) => void warnings.push([fields, message]) } as unknown as Logger;
    const statements = [
      "ALTER TABLE orders TRUNCATE PARTITION p0",
      "alter table `orders` drop partition p1, p2",
      "ALTER TABLE orders EXCHANGE PARTITION p2 WITH TABLE archive",
      "ALTER TABLE orders CONVERT PARTITION p3 TO TABLE old_orders",
      "ALTER TABLE orders CONVERT TABLE archive TO PARTITION p9 VALUES LESS THAN (90)",
      "ALTER TABLE other TRUNCATE PARTITION p0",
      "ALTER TABLE orders REORGANIZE PARTITION p4 INTO (PARTITION p4a VALUES LESS THAN (45), PARTITION p4b VALUES LESS THAN (50))",
      "ALTER TABLE orders COALESCE PARTITION 2",
      "ALTER TABLE orders DROP COLUMN dropped, CONVERT TO CHARACTER SET utf8mb4",
    ];
    const { records } = capture([rule("shop", "orders"), rule("shop", "archive"), rule("shop", "old_orders")], statements, { ddl: "ignore", log });
    expect(records).toEqual([]);
    expect(warnings.map(([fields]) => fields.table)).toEqual(["shop.orders", "shop.orders", "shop.orders", "shop.archive", "shop.orders", "shop.old_orders", "shop.orders"]);
    expect(warnings[0]?.[1]).toMatch(/^a partition's TRUNCATE, DROP, EXCHANGE or CONVERT moved rows in or out of this table; with ddl = ignore nothing of it reaches Kafka, so consumers keep the rows it removed and miss the rows it brought \(send DDL/);
  });
});
