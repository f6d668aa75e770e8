// information_schema → TableInfo: index names are the user's, so `constructor` or `__proto__`
// must come out as unique keys like any other name.
import { describe, expect, it } from "vitest";
import { loadTableInfo, snapshotSelectList } from "../../src/runtime/source/table-schema.js";
import { column, table } from "./fixtures.js";

const columns = ["id", "constructor", "__proto__"].map((name) => ({
  name, columnType: "int(11)", dataType: "int", nullable: "NO", charset: null, numericPrecision: 10, numericScale: 0, datetimePrecision: null, charLength: null,
}));

describe("loadTableInfo", () => {
  const showIndex = (rows: [string, string, boolean][]) => rows.map(([Key_name, Column_name, nullable]) => ({ Key_name, Non_unique: 0, Column_name, Null: nullable ? "YES" : "", Sub_part: null }));
  const fake = (cols: typeof columns, keys: ReturnType<typeof showIndex>) => ({ query: async (sql: string) => [/SHOW INDEX/.test(sql) ? keys : /TABLE_TYPE/.test(sql) ? [{ type: "BASE TABLE" }] : cols] });

  it("keeps unique indexes named like Object.prototype members", async () => {
    const keys = showIndex([["PRIMARY", "id", false], ["__proto__", "__proto__", false], ["constructor", "constructor", false], ["constructor", "id", false]]);
    const info = await loadTableInfo(fake(columns.map((c) => ({ ...c, columnKey: c.name === "id" ? "PRI" : "UNI" })), keys) as never, "db", "odd");
    expect(info?.columns.map((c) => c.name)).toEqual(["id", "constructor", "__proto__"]);
    expect(info?.primaryKey).toEqual(["id"]);
    expect(Object.entries(info?.uniqueKeys ?? {})).toEqual([["__proto__", ["__proto__"]], ["constructor", ["constructor", "id"]]]);
  });

  it("takes the unique key the server made its primary key, never a nullable one", async () => {
    // As MariaDB lists `(x INT NULL, u VARCHAR(10) NOT NULL, v INT, UNIQUE KEY zz(u), UNIQUE KEY aa(x))`.
    const cols = [
      { ...columns[0]!, name: "x", nullable: "YES", columnKey: "UNI" },
      { ...columns[0]!, name: "u", columnType: "varchar(10)", dataType: "varchar", columnKey: "PRI" },
      { ...columns[0]!, name: "v", nullable: "YES", columnKey: "" },
    ];
    const info = await loadTableInfo(fake(cols, showIndex([["zz", "u", false], ["aa", "x", true]])) as never, "db", "uk");
    expect(info?.primaryKey).toEqual(["u"]);
    expect({ ...info?.uniqueKeys }).toEqual({ zz: ["u"], aa: ["x"] });
  });
});

describe("loadTableInfo on a table dropped meanwhile, or a view", () => {
  const refusing = (errno: number) => ({
    query: async (sql: string) => {
      if (/SHOW INDEX/.test(sql)) throw Object.assign(new Error("refused"), { errno });
      return [/TABLE_TYPE/.test(sql) ? [{ type: "BASE TABLE" }] : columns.map((c) => ({ ...c, columnKey: "" }))];
    },
  });

  it("takes a table dropped between its columns and its indexes for gone", async () => {
    expect(await loadTableInfo(refusing(1146) as never, "db", "gone")).toBeNull();
  });

  it("gives a view no keys", async () => {
    expect((await loadTableInfo(refusing(1347) as never, "db", "v"))?.primaryKey).toEqual([]);
  });

  it("passes other errors on", async () => {
    await expect(loadTableInfo(refusing(1142) as never, "db", "t")).rejects.toThrow("refused");
  });
});

describe("snapshotSelectList", () => {
  it("selects the columns mysql2 refuses as field names under another name", () => {
    const odd = table("db", "odd", [column("id", "bigint"), column("__proto__", "varchar"), column("constructor", "float"), column("__lookupGetter__", "float")]);
    expect(snapshotSelectList(odd)).toBe("`id`, `__proto__` AS `column 2`, CAST(`constructor` AS DOUBLE) AS `constructor`, CAST(`__lookupGetter__` AS DOUBLE) AS `column 4`");
  });
});
