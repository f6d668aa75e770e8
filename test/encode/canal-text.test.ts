// canal's ENUM index and SET bitmask, the texts canal shows for those columns.
import { describe, expect, it } from "vitest";
import { canalRenderer, enumIndex, setBitmask } from "../../src/runtime/encode/canal-text.js";
import { zoneClock } from "../../src/runtime/encode/time-zone.js";
import { column } from "./helpers.js";

describe("canal ENUM and SET text", () => {
  it("gives '' the index of its label when the labels declare it, 0 (the invalid value) otherwise", () => {
    const declared = canalRenderer(column("e", "enum('a','','b')", { labels: ["a", "", "b"] }), zoneClock("UTC"));
    expect(["a", "", "b"].map(declared)).toEqual(["1", "2", "3"]);
    expect(enumIndex(["a", "b"], "")).toBe(0);
  });

  it("finds labels with 4-byte characters that information_schema shows as '?'", () => {
    // MariaDB 10.11: ENUM('a😀','','b') reads from information_schema as enum('a?','','b').
    expect(enumIndex(["a?", "", "b"], "a😀")).toBe(1);
    expect(enumIndex(["a😀", "", "b"], "a😀")).toBe(1);
    expect(enumIndex(["a?", "", "b"], "b")).toBe(3);
    expect(setBitmask(["x?", "y"], "x😀,y")).toBe(3n);
    expect(setBitmask(["x😀", "y"], "x😀")).toBe(1n);
    expect(setBitmask(["x", "y"], "z")).toBe(0n);
  });

  it("gives a SET declaring '' the bitmask the server stores; DTS Avro shows the server's text", async () => {
    // SET('', 'é', 'ü'): the canonical text leads with `,` when '' is set (set-text.ts)
    const set = column("s", "set('','é','ü')", { labels: ["", "é", "ü"] });
    expect(["", ",", "é", ",é", ",é,ü"].map(canalRenderer(set, zoneClock("UTC")))).toEqual(["0", "1", "2", "3", "7"]);
    const { avroValueWriter } = await import("../../src/runtime/encode/dts-avro-values.js");
    const { avroBytes } = await import("../../src/runtime/encode/avro-writer.js");
    const written = (v: string) => avroBytes((w) => avroValueWriter(set)(w, v)).toString("latin1");
    expect(written(",é")).toBe(written("é"));
    expect(written(",")).toBe(written(""));
  });
});

describe("SET text with the label ''", () => {
  it("is led by `,` when '' is set, from the labels the binlog reader joins", async () => {
    const { setTextFromLabels, serverSetText } = await import("../../src/runtime/encode/set-text.js");
    expect(["", ",", ",é", "é,", "a,,b", "é,ü", "é"].map(setTextFromLabels)).toEqual(["", ",", ",é", ",é", ",a,b", "é,ü", "é"]);
    expect([",", ",é", "é"].map(serverSetText)).toEqual(["", "é", "é"]);
    const { convertBinlogValue } = await import("../../src/runtime/source/column-values.js");
    const set = column("s", "set('a','','b')", { labels: ["a", "", "b"] });
    expect(["a,,b", "a,", "a", ","].map((v) => convertBinlogValue(v, set))).toEqual([",a,b", ",a", "a", ","]);
  });
});

describe("GEOMETRYCOLLECTION by either name", () => {
  it("is geometry (sqlType 2004, its bytes) whether named geometrycollection or MySQL 8's geomcollection", async () => {
    const { columnFamily } = await import("../../src/runtime/encode/column-family.js");
    const { convertBinlogValue } = await import("../../src/runtime/source/column-values.js");
    const bytes = Buffer.from("000000000107000000010000000101000000000000000000f03f000000000000f03f", "hex");
    for (const type of ["geometrycollection", "geomcollection"]) {
      const gc = column("gc", type);
      expect(columnFamily(gc), type).toBe("geometry");
      expect(convertBinlogValue(bytes, gc), type).toEqual(bytes);
      expect(canalRenderer(gc, zoneClock("UTC"))(bytes), type).toBe(bytes.toString("latin1"));
    }
  });
});
