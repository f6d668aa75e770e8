import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "../../src/runtime/logger.js";
import type { PipelineMetrics } from "../../src/runtime/observe/metrics.js";
import { StatementWarnings } from "../../src/runtime/session/statement-warnings.js";
import { dmlStatement, loadDataEvent } from "../../src/runtime/source/dml-statement.js";

describe("dmlStatement", () => {
  it("names the one table an INSERT, REPLACE, UPDATE or DELETE changes", () => {
    expect(dmlStatement("INSERT INTO t VALUES (1)", "shop")).toEqual({ verb: "INSERT", target: { database: "shop", table: "t" } });
    expect(dmlStatement("insert ignore into `my db`.`my``t` (a) values (1)", "shop")).toEqual({ verb: "INSERT", target: { database: "my db", table: "my`t" } });
    expect(dmlStatement("INSERT LOW_PRIORITY other.t SET a = 1", "shop")?.target).toEqual({ database: "other", table: "t" });
    expect(dmlStatement("INSERT INTO t SELECT * FROM u", "shop")?.target).toEqual({ database: "shop", table: "t" });
    expect(dmlStatement("REPLACE INTO t VALUES (1)", "shop")).toEqual({ verb: "REPLACE", target: { database: "shop", table: "t" } });
    expect(dmlStatement("/* app */ UPDATE `shop`.`t` SET a = 1 WHERE id = 2", "x")).toEqual({ verb: "UPDATE", target: { database: "shop", table: "t" } });
    expect(dmlStatement("UPDATE t AS x SET a = 1", "shop")?.target).toEqual({ database: "shop", table: "t" });
    expect(dmlStatement("UPDATE t x SET a = 1", "shop")?.target).toEqual({ database: "shop", table: "t" });
    expect(dmlStatement("DELETE FROM t WHERE id = 1", "shop")).toEqual({ verb: "DELETE", target: { database: "shop", table: "t" } });
    expect(dmlStatement("DELETE FROM `shop`.`mem`", "")?.target).toEqual({ database: "shop", table: "mem" });
    expect(dmlStatement("DELETE QUICK FROM t LIMIT 3", "shop")?.target).toEqual({ database: "shop", table: "t" });
    expect(dmlStatement('UPDATE "shop"."t" SET a = 1', "x")?.target).toEqual({ database: "shop", table: "t" });
    expect(dmlStatement('DELETE FROM "my""t" WHERE id = 1', "shop")?.target).toEqual({ database: "shop", table: 'my"t' });
  });

  it("leaves the table unnamed when a statement changes several or is not understood", () => {
    for (const sql of ["UPDATE a, b SET a.x = b.x", "UPDATE a JOIN b ON a.id = b.id SET a.x = 1", "DELETE a FROM a JOIN b", "DELETE FROM a, b USING a JOIN b", "DELETE FROM a USING a JOIN b", "INSERT (1)"]) {
      expect(dmlStatement(sql, "shop")?.target, sql).toBeNull();
    }
  });

  it("names the table of a LOAD DATA, as the server logs it under STATEMENT", () => {
    const logged = "LOAD DATA LOCAL INFILE '/tmp/SQL_LOAD_MB-1-2' INTO TABLE `t_sl_a` FIELDS TERMINATED BY ',' OPTIONALLY  ENCLOSED BY '\"' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (`id`, `a`)";
    expect(dmlStatement(logged, "ev")).toEqual({ verb: "LOAD DATA", target: { database: "ev", table: "t_sl_a" } });
    expect(dmlStatement("LOAD DATA CONCURRENT INFILE 'it''s \\' into table.csv' IGNORE INTO TABLE other.t", "ev")?.target).toEqual({ database: "other", table: "t" });
    expect(dmlStatement("load xml local infile 'x.xml' replace into table t", "ev")).toEqual({ verb: "LOAD XML", target: { database: "ev", table: "t" } });
  });

  it("names the table a CREATE TABLE … SELECT fills, and passes over the CREATE TABLE a server logs for its rows", () => {
    const created = { verb: "CREATE TABLE … SELECT", target: { database: "ev", table: "t_cs2" } };
    expect(dmlStatement("create table t_cs2 (primary key(id)) select id, a from t_cs1", "ev")).toEqual(created);
    expect(dmlStatement("CREATE TABLE IF NOT EXISTS `ev`.`t_cs2` AS WITH c AS (SELECT 1 AS id) SELECT * FROM c", "x")).toEqual(created);
    expect(dmlStatement("CREATE OR REPLACE TABLE t_cs2 ENGINE=InnoDB SELECT 1 AS id", "ev")).toEqual(created);
    expect(dmlStatement("CREATE TABLE t_cs2 AS TABLE t_cs1", "ev")).toEqual(created);
    expect(dmlStatement("CREATE TABLE t_cs2 VALUES ROW(1, 2)", "ev")).toEqual(created);
    for (const sql of [
      // Under ROW: MariaDB logs the table's definition, MySQL 8.0.21+ adds START TRANSACTION; the rows follow as rows events.
      "CREATE TABLE `t_ctas_a` (\n  `id` int(11) NOT NULL,\n  `a` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n)",
      "CREATE TABLE `t2` (\n  `a` int DEFAULT NULL\n) START TRANSACTION",
      "CREATE TABLE t (c VARCHAR(10) COMMENT 'select me', `table` INT) PARTITION BY RANGE (c) (PARTITION p0 VALUES LESS THAN (10))",
      "CREATE TABLE t LIKE u",
      "CREATE TEMPORARY TABLE tmp SELECT * FROM t",
    ]) {
      expect(dmlStatement(sql, "ev"), sql).toBeNull();
    }
  });

  it("names the stored function of a SELECT, SET or DO whose function wrote rows (the server logs SELECT db.f(args))", () => {
    expect(dmlStatement("SELECT `ev`.`f_ins2`(1)", "ev")).toEqual({ verb: "SELECT", target: null, calls: { database: "ev", table: "f_ins2" } });
    expect(dmlStatement('SELECT "ev"."f"(2)', "x")?.calls).toEqual({ database: "ev", table: "f" });
  });

  it("counts every other statement a server logs as a data change it cannot see", () => {
    expect(dmlStatement("SELECT NEXTVAL(`s`)", "ev")).toEqual({ verb: "SELECT", target: null });
    expect(dmlStatement("WITH c AS (SELECT 1 AS id) UPDATE t JOIN c USING (id) SET a = 2", "ev")).toEqual({ verb: "WITH", target: null });
    expect(dmlStatement("CALL p(1)", "ev")).toEqual({ verb: "CALL", target: null });
    expect(dmlStatement("SET STATEMENT max_statement_time = 5 FOR INSERT INTO t VALUES (1)", "ev")).toEqual({ verb: "INSERT", target: { database: "ev", table: "t" } });
  });

  it("is null for statements that change no rows", () => {
    for (const sql of [
      "BEGIN",
      "COMMIT",
      "ALTER TABLE t ADD c INT",
      "SAVEPOINT s",
      "RELEASE SAVEPOINT s",
      "XA END 'x'",
      "GRANT ALL ON *.* TO u",
      "REVOKE SELECT ON shop.* FROM u",
      "CREATE USER 'u'@'%' IDENTIFIED BY 'secret'",
      "CREATE OR REPLACE USER u",
      "ALTER USER u ACCOUNT LOCK",
      "DROP USER IF EXISTS u",
      "RENAME USER a TO b",
      "CREATE ROLE r",
      "SET PASSWORD FOR u = PASSWORD('x')",
      "SET DEFAULT ROLE r FOR u",
      "FLUSH PRIVILEGES",
      "ANALYZE TABLE t",
      "OPTIMIZE TABLE t",
      "REPAIR TABLE t",
      "CREATE TABLESPACE ts ADD DATAFILE 'ts.ibd'",
      "DROP TABLE t",
      "TRUNCATE TABLE t",
      "CREATE DATABASE d",
      "CREATE DEFINER=`root`@`localhost` FUNCTION `f`(x int) RETURNS int RETURN x",
      "# Dummy event replacing event type 160 that slave cannot handle.",
      "",
    ]) {
      expect(dmlStatement(sql, "shop"), sql).toBeNull();
    }
  });
});

describe("loadDataEvent", () => {
  const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/binlog/mariadb-10.11-checksums.json"), "utf8")) as { executeLoadQuery: string };
  /** The event as the stream shows it, its checksum cut off. */
  const executeLoadQuery = Buffer.from(fixture.executeLoadQuery, "hex").subarray(0, -4);

  it("reads the LOAD DATA statement and the session's database of an EXECUTE_LOAD_QUERY event", () => {
    const load = loadDataEvent(executeLoadQuery);
    expect(load?.database).toBe("ev");
    expect(load?.sql).toMatch(/^LOAD DATA LOCAL INFILE '\/tmp\/probe-events\/data\/load\.csv' IGNORE INTO TABLE `t_ld3` FIELDS .*\(`id`, `a`, `s`, `d`\)$/);
    expect(dmlStatement(load?.sql ?? "", load?.database ?? "")).toEqual({ verb: "LOAD DATA", target: { database: "ev", table: "t_ld3" } });
  });

  it("is null for other events", () => {
    const query = Buffer.from(executeLoadQuery);
    query[4] = 2;
    expect(loadDataEvent(query)).toBeNull();
    expect(loadDataEvent(executeLoadQuery.subarray(0, 30))).toBeNull();
  });
});

describe("StatementWarnings", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  function harness() {
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const errors: string[] = [];
    const log = { warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }) } as unknown as Logger;
    const metrics = { recordError: (kind: string) => errors.push(kind) } as unknown as PipelineMetrics;
    const selects = (database: string, table: string) => database === "shop" && table !== "unselected";
    const warner = new StatementWarnings(log, metrics, selects);
    return { warnings, errors, warner, counts: () => warnings.map((w) => [w.fields.table ?? w.fields.function ?? w.fields.statement, w.fields.statements]) };
  }
  const at = (offset: number) => ({ file: "bin.000001", offset, gtidSet: null });

  it("logs a table's first statement at once and the ones within the minute after when it is up, with their number", () => {
    const { warnings, errors, warner, counts } = harness();
    for (let i = 1; i <= 5; i++) warner.note(`INSERT INTO t VALUES (${String(i)})`, "shop", at(i * 100));
    warner.note("DELETE FROM shop.u", "other", at(600));
    expect(counts()).toEqual([
      ["shop.t", 1],
      ["shop.u", 1],
    ]);
    vi.advanceTimersByTime(60_000);
    // The four after the first: every statement is in the count of one line.
    expect(counts()).toEqual([
      ["shop.t", 1],
      ["shop.u", 1],
      ["shop.t", 4],
    ]);
    expect(warnings[2]?.fields).toMatchObject({ code: "statement-dml", statement: "INSERT", position: "bin.000001:500", sql: "INSERT INTO t VALUES (5)" });
    expect(warnings[0]?.message).toContain("not in Kafka");
    expect(errors).toEqual(Array(6).fill("statement-dml"));
  });

  it("logs at most one line a minute about a table, and one at once when the last is a minute old", () => {
    const { warner, counts } = harness();
    warner.note("INSERT INTO t VALUES (1)", "shop", at(1));
    vi.advanceTimersByTime(30_000);
    warner.note("UPDATE t SET a = 2", "shop", at(2));
    vi.advanceTimersByTime(30_000);
    warner.note("UPDATE t SET a = 3", "shop", at(3));
    vi.advanceTimersByTime(59_000);
    expect(counts()).toEqual([
      ["shop.t", 1],
      ["shop.t", 1],
    ]);
    vi.advanceTimersByTime(1_000);
    expect(counts()).toEqual([
      ["shop.t", 1],
      ["shop.t", 1],
      ["shop.t", 1],
    ]);
    vi.advanceTimersByTime(60_000);
    warner.note("UPDATE t SET a = 4", "shop", at(4));
    expect(counts().at(-1)).toEqual(["shop.t", 1]);
  });

  it("logs the statements still waiting when the stream stops", () => {
    const { warner, counts } = harness();
    for (let i = 1; i <= 3; i++) warner.note(`UPDATE t SET a = ${String(i)}`, "shop", at(i));
    warner.flush();
    expect(counts()).toEqual([
      ["shop.t", 1],
      ["shop.t", 2],
    ]);
    vi.advanceTimersByTime(120_000);
    expect(counts()).toHaveLength(2);
  });

  it("passes over tables the pipeline does not read and statements that change no rows", () => {
    const { warnings, errors, warner } = harness();
    warner.note("INSERT INTO unselected VALUES (1)", "shop", at(1));
    warner.note("DELETE FROM elsewhere.t", "shop", at(1));
    warner.note("LOAD DATA LOCAL INFILE '/tmp/SQL_LOAD_MB-1-2' INTO TABLE `unselected`", "shop", at(1));
    warner.note("CREATE TABLE elsewhere.t2 SELECT * FROM shop.t", "shop", at(1));
    warner.note("GRANT SELECT ON *.* TO u", "shop", at(1));
    warner.note("CREATE TABLE shop.t3 (id INT PRIMARY KEY)", "shop", at(1));
    expect(warnings).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("names the table of a LOAD DATA and of a CREATE TABLE … SELECT", () => {
    const { warnings, warner } = harness();
    warner.note("LOAD DATA LOCAL INFILE '/tmp/SQL_LOAD_MB-1-2' INTO TABLE `t` FIELDS TERMINATED BY ','", "shop", at(1));
    warner.note("create table t2 (primary key(id)) select id, a from t", "shop", at(2));
    expect(warnings.map((w) => [w.fields.table, w.fields.statement])).toEqual([
      ["shop.t", "LOAD DATA"],
      ["shop.t2", "CREATE TABLE … SELECT"],
    ]);
  });

  it("names the stored function whose calls wrote rows, one line a minute whatever the arguments", () => {
    const { warnings, errors, warner } = harness();
    for (let i = 1; i <= 3; i++) warner.note(`SELECT \`ev\`.\`f_ins2\`(${String(i)})`, "ev", at(i));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ table: null, function: "ev.f_ins2", statement: "SELECT", statements: 1 });
    expect(warnings[0]?.message).toContain("calls of the stored function ev.f_ins2 that wrote rows were logged as SQL text (SELECT `ev`.`f_ins2`(1))");
    expect(errors).toHaveLength(3);
  });

  it("warns of statements whose table it cannot tell under no table name, quoting them", () => {
    const { warnings, warner } = harness();
    warner.note("UPDATE a JOIN b ON a.id = b.id SET a.x = 1", "shop", at(1));
    warner.note("SELECT NEXTVAL(`s`)", "shop", at(2));
    expect(warnings.map((w) => w.fields.table)).toEqual([null, null]);
    expect(warnings[0]?.message).toContain("UPDATE statements on tables the pipeline cannot tell apart were logged as SQL text (UPDATE a JOIN b ON a.id = b.id SET a.x = 1)");
    expect(warnings[1]?.message).toContain("SELECT statements on tables the pipeline cannot tell apart");
  });
});
