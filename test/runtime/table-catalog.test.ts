// The table each rows event is decoded with: information_schema's description where the rows
// match it, the binlog's own (FULL metadata) where they were written before an ALTER or the
// table is gone, and a clear error, never a skip, when neither can describe them.
import { describe, expect, it } from "vitest";
import type { ColumnInfo, TableInfo } from "../../src/runtime/change-event.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import type { Logger } from "../../src/runtime/logger.js";
import { TableCatalog } from "../../src/runtime/source/table-catalog.js";
import { BinlogTableMap, type LoggedColumns } from "../../src/runtime/source/table-map.js";
import { column, orders, table } from "./fixtures.js";

const server = "db.internal:3306";

function logged(database: string, name: string, columns: ColumnInfo[], primaryKey: string[] | null, assumedPrecision: string[] = []): BinlogTableMap {
  const description: LoggedColumns = { columns: () => columns, primaryKey, assumedPrecision, signature: JSON.stringify([columns, primaryKey, assumedPrecision]) };
  return new BinlogTableMap(database, name, columns.length, columns.map((c) => c.name), description);
}

/** A MariaDB SEQUENCE's columns, as information_schema and FULL metadata describe them. */
const sequenceColumns = () =>
  ["next_not_cached_value", "minimum_value", "maximum_value", "start_value", "increment", "cache_size", "cycle_option", "cycle_count"].map((name) => column(name, name === "cycle_option" ? "tinyint" : "bigint"));
const sequence = (name: string): TableInfo => ({ ...table("shop", name, sequenceColumns()), sequence: true });

function warningsLog(): { log: Logger; warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  return { log: { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger, warnings };
}

const namesOnly = (database: string, name: string, names: string[], count = names.length) => new BinlogTableMap(database, name, count, names, null);

async function failure(promise: Promise<unknown>): Promise<RuntimeError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(RuntimeError);
  return error as RuntimeError;
}

describe("TableCatalog", () => {
  it("loads once, serves the same TableInfo per shape, and reloads after invalidation", async () => {
    let loads = 0;
    const catalog = new TableCatalog(async () => (loads++, orders), { server });
    const map = namesOnly("shop", "orders", orders.columns.map((c) => c.name));
    expect(catalog.cached(map)).toBeUndefined();
    expect(await catalog.load(map)).toBe(orders);
    expect(catalog.cached(namesOnly("shop", "orders", orders.columns.map((c) => c.name)))).toBe(orders);
    expect(await catalog.load(logged("shop", "orders", orders.columns, ["id"]))).toBe(orders);
    catalog.invalidate("shop", "orders");
    expect(catalog.cached(map)).toBeUndefined();
    await catalog.load(map);
    expect(loads).toBe(2);
  });

  it("decodes rows written before an ALTER with the columns the binlog logged for them", async () => {
    // now: id, status (utf8mb4), amount INT, note; then: id, status (latin1), amount VARCHAR, legacy
    const now = table("shop", "orders", [column("id", "bigint"), column("status", "varchar"), column("amount", "int"), column("note", "text")], ["id"], { uk_status: ["status"], uk_note: ["note"] });
    const catalog = new TableCatalog(async () => now, { server });
    const before = [column("id", "bigint"), column("status", "varchar", { charset: "latin1" }), column("amount", "varchar"), column("legacy", "int")];
    const info = await catalog.load(logged("shop", "orders", before, ["id"]));
    expect(info).not.toBe(now);
    expect(info.columns.map((c) => c.name)).toEqual(["id", "status", "amount", "legacy"]);
    expect(info.columns[0]).toBe(now.columns[0]);
    expect(info.columns[1]?.charset).toBe("latin1");
    expect(info.columns[2]?.dataType).toBe("varchar");
    expect(info.columns[3]?.dataType).toBe("int");
    expect(info.primaryKey).toEqual(["id"]);
    expect(Object.keys(info.uniqueKeys)).toEqual(["uk_status"]);
    expect(await catalog.load(logged("shop", "orders", [...before], ["id"]))).toBe(info);
  });

  it("takes the primary key the binlog logged when it changed since", async () => {
    const catalog = new TableCatalog(async () => orders, { server });
    const info = await catalog.load(logged("shop", "orders", orders.columns, ["status"]));
    expect(info.columns).toEqual(orders.columns);
    expect(info.primaryKey).toEqual(["status"]);
  });

  it("describes a table information_schema no longer shows from FULL metadata, and says so", async () => {
    const warnings: unknown[] = [];
    const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    const catalog = new TableCatalog(async () => null, { server, log });
    const info = await catalog.load(logged("shop", "gone", orders.columns, ["id"]));
    expect(info).toMatchObject({ database: "shop", table: "gone", columns: orders.columns, primaryKey: ["id"] });
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).toContain("shop.gone");
  });

  it("fails, naming the table, the server and the fix, when neither describes the rows", async () => {
    const catalog = new TableCatalog(async () => null, { server });
    const error = await failure(catalog.load(namesOnly("shop", "gone", ["id", "x"])));
    expect(error.retriable).toBe(false);
    expect(error.message).toContain("shop.gone");
    expect(error.message).toContain(server);
    expect(error.hint).toMatch(/GRANT SELECT.*binlog_row_metadata = FULL.*exclude the table/s);
  });

  it("fails rather than shift values when the column count no longer matches the rows", async () => {
    const catalog = new TableCatalog(async () => orders, { server });
    const error = await failure(catalog.load(namesOnly("shop", "orders", orders.columns.map((c) => c.name), 4)));
    expect(error.message).toMatch(/carry 4 values, but the table now has 5 columns/);
    expect(error.hint).toMatch(/binlog_row_metadata = FULL/);
  });

  it("keeps index names that are Object.prototype members as keys", async () => {
    const uniqueKeys: TableInfo["uniqueKeys"] = Object.create(null);
    for (const [name, columns] of [["__proto__", ["status"]], ["constructor", ["note"]]] as const) uniqueKeys[name] = [...columns];
    const now = table("shop", "orders", orders.columns, ["id"], uniqueKeys);
    const catalog = new TableCatalog(async () => now, { server });
    const info = await catalog.load(logged("shop", "orders", orders.columns.slice(0, 4), ["id"]));
    expect(Object.keys(info.uniqueKeys).sort()).toEqual(["__proto__", "constructor"]);
  });

  it("warns, naming the columns, when a 5.3-format temporal column's precision had to be assumed", async () => {
    const { log, warnings } = warningsLog();
    const catalog = new TableCatalog(async () => null, { server, log });
    await catalog.load(logged("shop", "gone", [column("id", "bigint"), column("dt", "datetime", { fsp: 0 })], ["id"], ["dt"]));
    const text = JSON.stringify(warnings);
    expect(text).toContain('"columns":["dt"]');
    expect(text).toMatch(/MariaDB's 5\.3 format.*read as having no fractional seconds/);
  });
});

describe("TableCatalog and MariaDB sequences", () => {
  it("sends the rows of a table that a sequence of the same name replaced since", async () => {
    const catalog = new TableCatalog(async () => sequence("s1"), { server });
    const info = await catalog.load(logged("shop", "s1", [column("id", "int"), column("v", "varchar")], ["id"]));
    expect(info.sequence).toBeUndefined();
    expect(info.columns.map((c) => c.name)).toEqual(["id", "v"]);
    expect(info.primaryKey).toEqual(["id"]);
  });

  it("does not send the state rows of a sequence that a table of the same name replaced since", async () => {
    const catalog = new TableCatalog(async () => table("shop", "s2", [column("id", "int"), column("v", "varchar")], ["id"]), { server });
    const map = logged("shop", "s2", sequenceColumns(), []);
    expect((await catalog.load(map)).sequence).toBe(true);
    expect(catalog.cached(map)?.sequence).toBe(true);
    // ... nor those of a sequence dropped since
    expect((await new TableCatalog(async () => null, { server }).load(map)).sequence).toBe(true);
  });

  it("takes rows with a sequence's columns for a sequence's while information_schema shows one", async () => {
    const now = sequence("sq");
    const catalog = new TableCatalog(async () => now, { server });
    expect(await catalog.load(logged("shop", "sq", sequenceColumns(), []))).toBe(now);
    expect(await catalog.load(namesOnly("shop", "sq", now.columns.map((c) => c.name)))).toBe(now);
  });

  it("sends the rows of a table with a sequence's columns (CREATE TABLE t AS SELECT * FROM a sequence)", async () => {
    const copy = table("shop", "cp", sequenceColumns());
    const catalog = new TableCatalog(async () => copy, { server });
    expect((await catalog.load(logged("shop", "cp", sequenceColumns(), []))).sequence).toBeUndefined();
  });
});
