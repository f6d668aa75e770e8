import { describe, expect, it } from "vitest";
import type { Logger } from "../../src/runtime/logger.js";
import type { PipelineMetrics } from "../../src/runtime/observe/metrics.js";
import { StatementWarnings } from "../../src/runtime/session/statement-warnings.js";
import { dmlStatement } from "../../src/runtime/source/dml-statement.js";

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

  it("is null for statements that change no rows", () => {
    for (const sql of ["BEGIN", "COMMIT", "SELECT 1", "ALTER TABLE t ADD c INT", "SAVEPOINT s", "GRANT ALL ON *.* TO u"]) expect(dmlStatement(sql, "shop"), sql).toBeNull();
  });
});

describe("StatementWarnings", () => {
  function harness() {
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const errors: string[] = [];
    const log = { warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }) } as unknown as Logger;
    const metrics = { recordError: (kind: string) => errors.push(kind) } as unknown as PipelineMetrics;
    let now = 0;
    const selects = (database: string, table: string) => database === "shop" && table !== "unselected";
    const warner = new StatementWarnings(log, metrics, selects, () => now);
    return { warnings, errors, warner, advance: (ms: number) => (now += ms) };
  }
  const at = { file: "bin.000001", offset: 120, gtidSet: null };

  it("warns at a selected table's first statement, then at most once a minute with the count since", () => {
    const { warnings, errors, warner, advance } = harness();
    warner.note("INSERT INTO t VALUES (1)", "shop", at);
    warner.note("UPDATE t SET a = 2", "shop", at);
    warner.note("DELETE FROM shop.u", "other", at);
    advance(59_000);
    warner.note("INSERT INTO t VALUES (3)", "shop", at);
    advance(1_000);
    warner.note("INSERT INTO t VALUES (4)", "shop", at);
    expect(warnings.map((w) => [w.fields.table, w.fields.statements])).toEqual([
      ["shop.t", 1],
      ["shop.u", 1],
      ["shop.t", 3],
    ]);
    expect(warnings[0]?.fields).toMatchObject({ code: "statement-dml", statement: "INSERT", position: "bin.000001:120" });
    expect(warnings[0]?.message).toContain("not in Kafka");
    expect(errors).toEqual(Array(5).fill("statement-dml"));
  });

  it("passes over tables the pipeline does not read and statements that change no rows", () => {
    const { warnings, errors, warner } = harness();
    warner.note("INSERT INTO unselected VALUES (1)", "shop", at);
    warner.note("DELETE FROM elsewhere.t", "shop", at);
    warner.note("GRANT SELECT ON *.* TO u", "shop", at);
    expect(warnings).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("warns of statements whose table it cannot tell under no table name", () => {
    const { warnings, warner } = harness();
    warner.note("UPDATE a JOIN b ON a.id = b.id SET a.x = 1", "shop", at);
    expect(warnings[0]?.fields.table).toBeNull();
    expect(warnings[0]?.message).toContain("tables the pipeline cannot tell apart");
  });
});
