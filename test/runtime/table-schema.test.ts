// information_schema → TableInfo: index names are the user's, so `constructor` or `__proto__`
// must come out as unique keys like any other name.
import { describe, expect, it } from "vitest";
import { loadTableInfo, snapshotSelectList } from "../../src/runtime/source/table-schema.js";
import { column, table } from "./fixtures.js";

const columns = ["id", "constructor", "__proto__"].map((name) => ({
  name, columnType: "int(11)", dataType: "int", nullable: "NO", charset: null, numericPrecision: 10, numericScale: 0, datetimePrecision: null, charLength: null,
}));

describe("loadTableInfo", () => {
  it("keeps unique indexes named like Object.prototype members", async () => {
    const keys = [
      { indexName: "PRIMARY", columnName: "id" },
      { indexName: "__proto__", columnName: "__proto__" },
      { indexName: "constructor", columnName: "constructor" },
      { indexName: "constructor", columnName: "id" },
    ];
    const conn = { query: async (sql: string) => [/STATISTICS/.test(sql) ? keys : columns] };
    const info = await loadTableInfo(conn as never, "db", "odd");
    expect(info?.columns.map((c) => c.name)).toEqual(["id", "constructor", "__proto__"]);
    expect(info?.primaryKey).toEqual(["id"]);
    expect(Object.entries(info?.uniqueKeys ?? {})).toEqual([["__proto__", ["__proto__"]], ["constructor", ["constructor", "id"]]]);
  });
});

describe("snapshotSelectList", () => {
  it("selects the columns mysql2 refuses as field names under another name", () => {
    const odd = table("db", "odd", [column("id", "bigint"), column("__proto__", "varchar"), column("constructor", "float"), column("__lookupGetter__", "float")]);
    expect(snapshotSelectList(odd)).toBe("`id`, `__proto__` AS `column 2`, CAST(`constructor` AS DOUBLE) AS `constructor`, CAST(`__lookupGetter__` AS DOUBLE) AS `column 4`");
  });
});
