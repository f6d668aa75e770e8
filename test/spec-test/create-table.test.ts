// The CREATE TABLE reader: the TableInfo a running pipeline would load from information_schema,
// and an error with its place for anything it does not know.
import { describe, expect, it } from "vitest";
import { readCreateTable, SqlError } from "../../src/spec-test/create-table.js";

function error(sql: string): { message: string; at: string } {
  try {
    readCreateTable(sql, "shop", "t");
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    return { message: e.message, at: sql.slice(e.start, e.end) };
  }
  throw new Error("no error");
}

describe("readCreateTable", () => {
  it("reads MariaDB's SHOW CREATE TABLE as printed: column CHECKs are skipped, JSON is its LONGTEXT", () => {
    const table = readCreateTable(
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`)),\n" +
        "  `c` int(11) DEFAULT NULL CHECK (`c` > 0),\n  `m` int CONSTRAINT `pos` CHECK (`m` > 0) NOT NULL,\n  PRIMARY KEY (`id`),\n  CONSTRAINT `lim` CHECK (`c` < 100)\n" +
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
      "shop",
      "t",
    );
    expect(table.columns.map((c) => [c.name, c.dataType, c.nullable])).toEqual([["id", "int", false], ["j", "longtext", true], ["c", "int", true], ["m", "int", false]]);
    expect(error("CREATE TABLE t (c INT CHECK c > 0)")).toEqual({ message: "expected '(' and the condition, found 'c'", at: "c" });
  });

  it("reads columns in order with the details the encoders need", () => {
    const table = readCreateTable(
      "CREATE TABLE IF NOT EXISTS `shop`.`t` (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, total DECIMAL(10,2) NOT NULL DEFAULT 0, note TEXT CHARACTER SET latin1, " +
        "at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), state ENUM('new','it''s') NOT NULL, tags SET('a','b'), " +
        "flag BOOLEAN, bits BIT(4), raw VARBINARY(16), code CHAR(2), f FLOAT, d DOUBLE PRECISION, y YEAR, doc JSON, " +
        "PRIMARY KEY (id), UNIQUE KEY uk_code (code, y), KEY by_total (total)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
      "shop",
      "t",
    );
    const byName = Object.fromEntries(table.columns.map((c) => [c.name, c]));
    expect(table.columns.map((c) => c.name)).toEqual(["id", "total", "note", "at", "state", "tags", "flag", "bits", "raw", "code", "f", "d", "y", "doc"]);
    expect(table.primaryKey).toEqual(["id"]);
    expect({ ...table.uniqueKeys }).toEqual({ uk_code: ["code", "y"] });
    expect(byName.id).toMatchObject({ columnType: "bigint unsigned", dataType: "bigint", typeCode: 8, unsigned: true, nullable: false, precision: 20 });
    expect(byName.total).toMatchObject({ columnType: "decimal(10,2)", precision: 10, scale: 2, nullable: false, charset: null });
    expect(byName.note).toMatchObject({ dataType: "text", charset: "latin1", nullable: true });
    expect(byName.at).toMatchObject({ dataType: "timestamp", fsp: 3, typeCode: 17 });
    expect(byName.state).toMatchObject({ labels: ["new", "it's"], charset: "utf8mb4", columnType: "enum('new','it''s')" });
    expect(byName.tags).toMatchObject({ labels: ["a", "b"], dataType: "set" });
    expect(byName.flag).toMatchObject({ dataType: "tinyint", columnType: "tinyint(1)" });
    expect(byName.bits).toMatchObject({ dataType: "bit", precision: 4 });
    expect(byName.raw).toMatchObject({ dataType: "varbinary", charset: "binary", precision: 16 });
    expect(byName.d).toMatchObject({ dataType: "double" });
    expect(byName.doc).toMatchObject({ dataType: "json", typeCode: 245 });
  });

  it("reads MySQL 8's GEOMCOLLECTION as the geometry it is", () => {
    const table = readCreateTable("CREATE TABLE t (id INT PRIMARY KEY, g GEOMCOLLECTION)", "shop", "t");
    expect(table.columns[1]).toMatchObject({ dataType: "geomcollection", charset: null });
  });

  it("takes inline keys, and names an unnamed unique key after its first column", () => {
    const table = readCreateTable("create table t (a int primary key, b varchar(8) unique, c int, unique (c))", "shop", "t");
    expect(table.primaryKey).toEqual(["a"]);
    expect({ ...table.uniqueKeys }).toEqual({ b: ["b"], c: ["c"] });
    expect(table.columns[0]?.nullable).toBe(false);
  });

  it("takes the key the server makes the primary key without a PRIMARY KEY: the first unique key of NOT NULL whole columns, in the statement's order", () => {
    const promoted = readCreateTable("CREATE TABLE t (x INT NULL, u VARCHAR(10) NOT NULL, v INT, UNIQUE KEY zz(u), UNIQUE KEY aa(x))", "shop", "t");
    expect(promoted.primaryKey).toEqual(["u"]);
    expect({ ...promoted.uniqueKeys }).toEqual({ zz: ["u"], aa: ["x"] });
    expect(readCreateTable("CREATE TABLE t (a INT NOT NULL UNIQUE, b INT NOT NULL, UNIQUE KEY ab (b, a))", "shop", "t").primaryKey).toEqual(["a"]);
    expect(readCreateTable("CREATE TABLE t (n VARCHAR(20) NOT NULL, b TEXT NOT NULL, c INT NOT NULL, UNIQUE (n(4)), UNIQUE (b), UNIQUE (c))", "shop", "t").primaryKey).toEqual(["c"]);
    expect(readCreateTable("CREATE TABLE t (x INT NULL, UNIQUE KEY aa(x))", "shop", "t").primaryKey).toEqual([]);
  });

  it.each([
    ["CREATE TABLE t (id INT, x FOO)", "column type FOO is not supported by dts test", "FOO"],
    ["CREATE TABLE t (id INT NOT NULL garbage)", "expected ',' or ')' after the column's definition, found 'garbage'", "garbage"],
    ["CREATE TABLE other (id INT)", "this statement creates other, but the block describes t", "other"],
    ["CREATE TABLE t (id INT, id BIGINT)", "column id is defined twice", "id"],
    ["CREATE TABLE t (id INT", "expected ',' or ')', but the statement ends", ""],
    ["CREATE TABLE t (s VARCHAR)", "VARCHAR needs a length, e.g. VARCHAR(64)", "VARCHAR"],
    ["CREATE TABLE t (s ENUM(1, 2))", "ENUM takes quoted labels in its parentheses", "1"],
    ["CREATE TABLE t (id INT) PARTITION BY HASH(id)", "expected a table option (ENGINE, DEFAULT CHARSET, COLLATE, COMMENT, ...), found 'PARTITION'", "PARTITION"],
    ["CREATE TABLE t (id INT, note 'x)", "this string is not closed", "'x)"],
    ["SELECT 1", "expected CREATE TABLE, found 'SELECT'", "SELECT"],
  ])("%s: %s", (sql, message, at) => {
    expect(error(sql)).toEqual({ message, at });
  });

  it("refuses sizes the server refuses", () => {
    expect(error("CREATE TABLE t (b BIT(0))")).toEqual({ message: "BIT takes a size from 1 to 64", at: "BIT" });
    expect(error("CREATE TABLE t (d DECIMAL(70,4))").message).toBe("DECIMAL takes a size from 1 to 65");
    expect(error("CREATE TABLE t (d DECIMAL(5,6))").message).toBe("DECIMAL(p,s) takes a scale s of at most 38 and at most p");
    expect(error("CREATE TABLE t (c CHAR(300))").message).toBe("CHAR takes a size from 0 to 255");
    expect(error("CREATE TABLE t (s SET('a,b'))").message).toBe("SET labels cannot hold a comma");
  });

  it("refuses a key over a column the table lacks", () => {
    expect(error("CREATE TABLE t (id INT, PRIMARY KEY (idd))").message).toBe("a key names column idd, which the table does not have");
  });
});
