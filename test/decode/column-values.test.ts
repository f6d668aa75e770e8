// Raw reader values as zongji and mysql2 deliver them, converted to canonical values.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { convertBinlogImageValue, convertBinlogValue, convertSelectValue, selectConverters, selectImageConverters } from "../../src/runtime/source/column-values.js";
import { columnInfoFrom, parseLabels, snapshotSelectList, typeCodeFor } from "../../src/runtime/source/table-schema.js";
import { column } from "../encode/helpers.js";

describe("image converters (integers as numbers while exact)", () => {
  const integers = ["tinyint(4)", "smallint(5) unsigned", "mediumint(9)", "int(11)", "int(10) unsigned", "bigint(20)", "bigint(20) unsigned"].map((type) => column("n", type));
  // How the readers hand integers over: numbers while exact, the digits past 2^53.
  const raw = fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }).map((n) => (Number.isSafeInteger(Number(n)) ? Number(n) : n.toString())));

  it("give the exact converters' integers, as numbers exactly when a double holds them", () => {
    fc.assert(fc.property(raw, fc.constantFrom(...integers), (value, col) => {
      const exact = convertBinlogValue(value, col) as bigint;
      const image = convertBinlogImageValue(value, col);
      expect(BigInt(image as bigint | number)).toBe(exact);
      expect(typeof image).toBe(Number.isSafeInteger(Number(exact)) ? "number" : "bigint");
      const table = { database: "d", table: "t", columns: [col], primaryKey: [], uniqueKeys: {} } as never;
      const selected = (selectImageConverters(table)[0] as (v: unknown) => unknown)(value);
      expect(selected).toBe(image);
      expect((selectConverters(table)[0] as (v: unknown) => unknown)(value)).toBe(convertSelectValue(value, col));
    }));
  });

  it("leave every other family to the exact converters", () => {
    const text = column("s", "varchar(10)");
    const ts = column("t", "timestamp(6)");
    expect(convertBinlogImageValue("abc", text)).toBe("abc");
    expect(convertBinlogImageValue("2038-01-19 03:14:07.999999", ts)).toEqual(convertBinlogValue("2038-01-19 03:14:07.999999", ts));
    expect(convertBinlogImageValue(Buffer.from("ff", "hex"), column("b", "bit(8)"))).toBe(255n);
    expect(convertBinlogImageValue(undefined, column("e", "enum('a')"))).toBe("");
    expect(convertBinlogImageValue(null, column("n", "int(11)"))).toBe(null);
  });
});

describe("column values", () => {
  it("reads the zero YEAR from the binlog (zongji adds 1900 to the stored 0)", () => {
    const year = column("y", "year(4)");
    expect(convertBinlogValue(1900, year)).toBe(0);
    expect(convertSelectValue(0, year)).toBe(0);
    expect(convertBinlogValue(2155, year)).toBe(2155);
  });

  it("reads BIT(64) bytes and unsigned BIGINT text exactly", () => {
    expect(convertBinlogValue(Buffer.from("ffffffffffffffff", "hex"), column("b", "bit(64)"))).toBe(18446744073709551615n);
    expect(convertSelectValue("18446744073709551615", column("u", "bigint(20) unsigned"))).toBe(18446744073709551615n);
    expect(convertBinlogValue(9007199254740993n.toString(), column("u", "bigint(20) unsigned"))).toBe(9007199254740993n);
  });

  it("reads TIMESTAMP text in UTC as an instant and keeps the zero timestamp", () => {
    const ts = column("t", "timestamp(6)");
    expect(convertBinlogValue("2038-01-19 03:14:07.999999", ts)).toEqual({ kind: "timestamp", epochSeconds: 2147483647, micros: 999999 });
    expect(convertSelectValue("0000-00-00 00:00:00.000000", ts)).toEqual({ kind: "timestamp", epochSeconds: 0, micros: 0 });
    expect(() => convertSelectValue(new Date(0), ts)).toThrow(/dateStrings/);
  });

  it("maps zongji's undefined ENUM (index 0) to the empty label and keeps FLOAT as float32", () => {
    expect(convertBinlogValue(undefined, column("e", "enum('a')"))).toBe("");
    expect(convertSelectValue(3.1415927410125732, column("f", "float"))).toBe(Math.fround(3.1415927));
  });

  it("keeps GEOMETRY as the server's bytes and refuses points a reader parsed, which lost the SRID", () => {
    const stored = Buffer.from("e6100000" + "01" + "01000000" + "000000000000f83f" + "00000000000002c0", "hex");
    expect(convertBinlogValue(stored, column("g", "point"))).toBe(stored);
    expect(convertSelectValue(stored, column("g", "geometry"))).toBe(stored);
    expect(() => convertBinlogValue({ x: 1.5, y: -2.25 }, column("g2", "point"))).toThrow(/g2: GEOMETRY arrived parsed/);
  });

  it("describes columns as information_schema and the binlog table map do", () => {
    expect(parseLabels("enum('a','it''s','x,y')")).toEqual(["a", "it's", "x,y"]);
    expect(["datetime", "timestamp", "time", "varchar", "char", "text", "json", "enum"].map(typeCodeFor)).toEqual([18, 17, 19, 15, 254, 252, 245, 247]);
    const blob = columnInfoFrom({ name: "b", columnType: "blob", dataType: "blob", nullable: "YES", charset: null, numericPrecision: null, numericScale: null, datetimePrecision: null, charLength: 65535 });
    expect(blob.charset).toBe("binary");
    expect(snapshotSelectList({ database: "d", table: "t", primaryKey: [], uniqueKeys: {}, columns: [column("f", "float"), column("x`y", "int(11)")] }))
      .toBe("CAST(`f` AS DOUBLE) AS `f`, `x``y`");
  });

  it("selects DOUBLE(M,D) as DOUBLE and geometry as bytes, so the initial sync reads what the binlog holds", () => {
    const columns = [column("d", "double"), { ...column("dm", "double(20,6)"), scale: 6 }, column("g", "multipoint"), column("p", "point")];
    expect(snapshotSelectList({ database: "d", table: "t", primaryKey: [], uniqueKeys: {}, columns }))
      .toBe("`d`, CAST(`dm` AS DOUBLE) AS `dm`, CAST(`g` AS BINARY) AS `g`, CAST(`p` AS BINARY) AS `p`");
  });
});
