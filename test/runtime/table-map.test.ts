// What the runtime reads from a binlog table map: column descriptions from FULL metadata that
// encode like information_schema's, and zongji's rows keyed by position whatever the names.
import type { ColumnSchema, TableMapEntry, TableMapEvent } from "@vlasky/zongji";
import { describe, expect, it } from "vitest";
import { sameShape } from "../../src/runtime/source/rows-table.js";
import { describeFullTableMap, loggedColumn, tableMapFromZongji, type FullTableMapEvent } from "../../src/runtime/source/table-map.js";
import { columnInfoFrom } from "../../src/runtime/source/table-schema.js";

const MARIADB = true;

const schema = (name: string, columnType: string, charset: string | null = null, extra: Partial<ColumnSchema> = {}): ColumnSchema => ({
  COLUMN_NAME: name, COLLATION_NAME: null, CHARACTER_SET_NAME: charset, COLUMN_COMMENT: "", COLUMN_TYPE: columnType, ...extra,
});

/** information_schema's description of the same column, as MariaDB 10.11 reports it. */
const described = (name: string, columnType: string, dataType: string, numbers: { p?: number; s?: number; fsp?: number; len?: number; charset?: string } = {}) =>
  columnInfoFrom({
    name, columnType, dataType, nullable: "YES", charset: numbers.charset ?? null,
    numericPrecision: numbers.p ?? null, numericScale: numbers.s ?? null, datetimePrecision: numbers.fsp ?? null, charLength: numbers.len ?? null,
  });

// [zongji's schema from FULL metadata, information_schema's description] as observed on the stack
const pairs: [ColumnSchema, ReturnType<typeof described>][] = [
  [schema("i", "int", null, { UNSIGNED: false }), described("i", "int(11)", "int", { p: 10, s: 0 })],
  [schema("mu", "mediumint unsigned", null, { UNSIGNED: true }), described("mu", "mediumint(8) unsigned", "mediumint", { p: 8, s: 0 })],
  [schema("bu", "bigint unsigned", null, { UNSIGNED: true }), described("bu", "bigint(20) unsigned", "bigint", { p: 20, s: 0 })],
  [schema("d", "decimal(65,30)"), described("d", "decimal(65,30)", "decimal", { p: 65, s: 30 })],
  [schema("f", "float", null, { UNSIGNED: false }), described("f", "float", "float", { p: 12 })],
  [schema("db", "double", null, { UNSIGNED: false }), described("db", "double", "double", { p: 22 })],
  [schema("b", "bit(64)"), described("b", "bit(64)", "bit", { p: 64 })],
  [schema("dt", "date"), described("dt", "date", "date")],
  [schema("dtm", "datetime(6)"), described("dtm", "datetime(6)", "datetime", { fsp: 6 })],
  [schema("ts", "timestamp"), described("ts", "timestamp", "timestamp", { fsp: 0 })],
  [schema("tm", "time(3)"), described("tm", "time(3)", "time", { fsp: 3 })],
  [schema("y", "year", null, { UNSIGNED: true }), described("y", "year(4)", "year")],
  [schema("c", "char(10)", "utf8mb4"), described("c", "char(10)", "char", { len: 10, charset: "utf8mb4" })],
  [schema("v", "varchar(50)", "latin1"), described("v", "varchar(50)", "varchar", { len: 50, charset: "latin1" })],
  [schema("tx", "text", "utf8mb4"), described("tx", "text", "text", { len: 65535, charset: "utf8mb4" })],
  [schema("bn", "binary(4)"), described("bn", "binary(4)", "binary", { len: 4 })],
  [schema("bl", "blob"), described("bl", "blob", "blob", { len: 65535 })],
  [schema("js", "longtext", "utf8mb4"), described("js", "longtext", "longtext", { len: 4294967295, charset: "utf8mb4" })],
  [schema("en", "enum('a','it''s')", "utf8mb4", { ENUM_VALUES: ["a", "it's"] }), described("en", "enum('a','it''s')", "enum", { len: 4, charset: "utf8mb4" })],
  [schema("st", "set('x','y')", "utf8mb4", { SET_VALUES: ["x", "y"] }), described("st", "set('x','y')", "set", { len: 3, charset: "utf8mb4" })],
  [schema("g", "point"), described("g", "point", "point")],
  // zongji names the binlog's geometry type 7 as MySQL 8 does
  [schema("gc", "geomcollection"), described("gc", "geometrycollection", "geometrycollection")],
  [schema("u", "binary(16)"), described("u", "uuid", "uuid")],
];

describe("columns from FULL table map metadata", () => {
  it.each(pairs.map(([s, c]) => [s.COLUMN_TYPE, s, c] as const))("%s encodes like information_schema's column", (_type, logged, current) => {
    const column = loggedColumn(logged, MARIADB);
    expect(sameShape(current, column)).toBe(true);
    if (current.dataType !== "uuid") {
      const { columnType: _a, nullable: _b, ...rest } = current;
      expect(column).toMatchObject(current.dataType === "enum" || current.dataType === "set" ? { ...rest, precision: null } : rest);
    }
  });

  it("tells changed columns apart", () => {
    const current = described("a", "int(11)", "int", { p: 10, s: 0 });
    expect(sameShape(current, loggedColumn(schema("a", "varchar(20)", "utf8mb4"), MARIADB))).toBe(false);
    expect(sameShape(current, loggedColumn(schema("a", "int unsigned", null, { UNSIGNED: true }), MARIADB))).toBe(false);
    expect(sameShape(current, loggedColumn(schema("a", "bigint"), MARIADB))).toBe(false);
    const latin1 = described("v", "varchar(20)", "varchar", { len: 20, charset: "latin1" });
    expect(sameShape(latin1, loggedColumn(schema("v", "varchar(20)", "utf8mb4"), MARIADB))).toBe(false);
    expect(sameShape(latin1, loggedColumn(schema("v", "varchar(99)", "latin1"), MARIADB))).toBe(true);
    const labels = described("e", "enum('a','b')", "enum", { charset: "utf8mb4" });
    expect(sameShape(labels, loggedColumn(schema("e", "enum('a','c')", "utf8mb4", { ENUM_VALUES: ["a", "c"] }), MARIADB))).toBe(false);
    expect(sameShape(described("t", "datetime(3)", "datetime", { fsp: 3 }), loggedColumn(schema("t", "datetime"), MARIADB))).toBe(false);
  });

  it("names GEOMETRYCOLLECTION as the server's information_schema does", () => {
    expect(loggedColumn(schema("gc", "geomcollection"), MARIADB).dataType).toBe("geometrycollection");
    expect(loggedColumn(schema("gc", "geomcollection"), !MARIADB).dataType).toBe("geomcollection");
  });

  it("keeps labels with backslashes as zongji decoded them", () => {
    expect(loggedColumn(schema("e", "enum('a\\b')", "utf8mb4", { ENUM_VALUES: ["a\\b"] }), MARIADB).labels).toEqual(["a\\b"]);
  });
});

function zongjiTableMap(full: boolean, names: string[]): { event: TableMapEvent; entry: TableMapEntry } {
  const schemas = names.map((n, i) => schema(n, i === 0 ? "int" : "varchar(10)", i === 0 ? null : "utf8mb4"));
  const entry: TableMapEntry = { columnSchemas: schemas, parentSchema: "db", tableName: "t", columns: names.map((name) => ({ name, charset: null, type: 3, metadata: {} })) };
  const event = {
    tableId: 7, schemaName: "db", tableName: "t", columnCount: names.length, columnNames: full ? names : undefined, primaryKey: full ? [0] : undefined,
    hasSelfDescribingMetadata: () => full, hasAmbiguousTemporalColumns: () => false,
  } as unknown as TableMapEvent;
  return { event, entry };
}

describe("zongji's table map", () => {
  const names = ["id", "__proto__", "constructor", "toString"];

  it("keys zongji's rows by column position, so no name can collide with an object member", () => {
    const { event, entry } = zongjiTableMap(true, names);
    tableMapFromZongji(event, entry, true);
    expect(entry.columns?.map((c) => c.name)).toEqual([0, 1, 2, 3]);
  });

  it("describes FULL metadata with names, types and primary key, and a stable signature", () => {
    const { event, entry } = zongjiTableMap(true, names);
    const map = tableMapFromZongji(event, entry, true);
    expect(map.names).toEqual(names);
    expect(map.logged?.primaryKey).toEqual(["id"]);
    expect(map.logged?.columns().map((c) => [c.name, c.dataType])).toEqual([["id", "int"], ["__proto__", "varchar"], ["constructor", "varchar"], ["toString", "varchar"]]);
    const again = zongjiTableMap(true, names);
    expect(tableMapFromZongji(again.event, again.entry, true).signature).toBe(map.signature);
    const other = zongjiTableMap(true, ["id", "x", "constructor", "toString"]);
    expect(tableMapFromZongji(other.event, other.entry, true).signature).not.toBe(map.signature);
  });

  it("says a table had no primary key when its FULL metadata lists none (the rows were written before a key was added)", () => {
    const { event, entry } = zongjiTableMap(true, names);
    (event as { primaryKey?: number[] }).primaryKey = undefined;
    expect(tableMapFromZongji(event, entry, true).logged?.primaryKey).toEqual([]);
  });

  it("has names only when the table map carries no column metadata", () => {
    const { event, entry } = zongjiTableMap(false, names);
    const map = tableMapFromZongji(event, entry, false);
    expect(map.logged).toBeNull();
    expect(map.names).toEqual(names);
    expect(map.columnCount).toBe(4);
  });
});

describe("FULL table maps with classic temporal type codes (MariaDB 5.3 formats)", () => {
  const DATETIME = 12, TIME = 11, TIMESTAMP = 7, LONG = 3;
  const event = (names: string[], types: number[]): FullTableMapEvent => ({
    schemaName: "db", tableName: "t", columnTypes: types,
    buildColumnSchemas: () => names.map((n, i) => schema(n, types[i] === LONG ? "int" : types[i] === TIME ? "time" : types[i] === TIMESTAMP ? "timestamp" : "datetime")),
  });
  const now = (name: string, type: string, precision: number) => ({ COLUMN_NAME: name, DATA_TYPE: type, DATETIME_PRECISION: precision });

  it("takes each temporal column's precision from the column of its name now, whatever its position or letter case", () => {
    const entry = describeFullTableMap(event(["id", "Created", "t"], [LONG, DATETIME, TIME]), [now("t", "time", 4), now("added", "datetime", 6), now("created", "datetime", 3)]);
    expect(entry.columnSchemas.map((s) => s.COLUMN_TYPE)).toEqual(["int", "datetime(3)", "time(4)"]);
    expect(loggedColumn(entry.columnSchemas[1] as ColumnSchema, MARIADB).fsp).toBe(3);
  });

  it("assumes no fraction for a column that is gone or of another type now, and says which", () => {
    const entry = describeFullTableMap(event(["id", "gone", "retyped"], [LONG, DATETIME, TIMESTAMP]), [now("retyped", "datetime", 6)]);
    expect(entry.columnSchemas.map((s) => s.COLUMN_TYPE)).toEqual(["int", "datetime", "timestamp"]);
    const names = ["id", "gone", "retyped"];
    const { event: map } = zongjiTableMap(true, names);
    Object.assign(map, { hasAmbiguousTemporalColumns: () => true });
    const described = tableMapFromZongji(map, entry, true);
    expect(described.logged?.assumedPrecision).toEqual(["gone", "retyped"]);
  });

  it("are described by the binlog only when their entry was (zongji's own entry comes from information_schema)", () => {
    const { event: map, entry } = zongjiTableMap(true, ["id", "dt"]);
    Object.assign(map, { hasAmbiguousTemporalColumns: () => true });
    expect(tableMapFromZongji(map, entry, true).logged).toBeNull();
    expect(tableMapFromZongji(map, entry, false).logged).not.toBeNull();
  });
});

