// Text in a column's charset, as MySQL converts it: what the stream decodes from the binlog's
// bytes must equal what the initial sync's SELECT returns, and DTS Avro's bytes must be the
// stored ones.
import { describe, expect, it } from "vitest";
import { bytesToText, singleByteCharacters, textToBytes, writtenBytesCharset, writtenCharset } from "../../src/runtime/encode/charset.js";

describe("column charsets", () => {
  it("reads latin1 as MySQL does: Windows-1252, with its five undefined bytes as C1 controls", () => {
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const text = bytesToText(every, "latin1");
    expect(new Set(text).size).toBe(256);
    expect([0x81, 0x8d, 0x8f, 0x90, 0x9d].map((b) => bytesToText(Buffer.from([b]), "latin1").codePointAt(0))).toEqual([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
    expect(bytesToText(Buffer.from([0x80, 0x8a, 0xe9]), "latin1")).toBe("€Šé");
    expect(textToBytes(text, "latin1")).toEqual(every);
    // what latin1 cannot hold is stored as ?
    expect(textToBytes("a中😀", "latin1")).toEqual(Buffer.from("a??"));
  });

  it("reads ucs2 big-endian, as MySQL stores it", () => {
    expect(textToBytes("Aé中", "ucs2").toString("hex")).toBe("004100e94e2d");
    expect(bytesToText(Buffer.from("004100e94e2d", "hex"), "ucs2")).toBe("Aé中");
  });

  it("reads and writes MySQL's single-byte charsets with MySQL's tables", () => {
    // Each byte as MariaDB 10.11 converts it to utf8mb4.
    const cases: [string, string, string][] = [
      ["tis620", "a1a2", "กข"], ["cp850", "82", "é"], ["cp852", "a5", "ą"], ["macce", "88", "ą"], ["hp8", "c5", "é"],
      ["koi8u", "95a4", "•є"], ["cp866", "fcfd", "ⁿ²"], ["macroman", "bddbf0", "Ω€\uf8ff"], ["armscii8", "a1a2adfe", "❁§՟’"],
    ];
    for (const [charset, hex, text] of cases) {
      expect(bytesToText(Buffer.from(hex, "hex"), charset), charset).toBe(text);
      expect(textToBytes(text, charset).toString("hex"), charset).toBe(hex);
    }
    // armscii8 0xFF is the apostrophe too; the server stores ' as 0x27
    expect(textToBytes("'", "armscii8").toString("hex")).toBe("27");
    expect(textToBytes("a😀", "koi8u")).toEqual(Buffer.from("a?"));
  });

  it("reads dec8, keybcs2, geostd8 and swe7, which iconv-lite lacks, by MySQL's tables", () => {
    // Each byte as MariaDB 10.11 converts it to utf8mb4; an undefined byte as ?
    const cases: [string, string, string][] = [
      ["dec8", "e9fcd7a8", "éüŒ¤"], ["keybcs2", "809ea8e0", "ČŘšα"], ["geostd8", "c0e0fd80", "აჭ№€"], ["swe7", "405b7d7e61", "ÉÄåüa"],
    ];
    for (const [charset, hex, text] of cases) {
      expect(bytesToText(Buffer.from(hex, "hex"), charset), charset).toBe(text);
      expect(textToBytes(text, charset).toString("hex"), charset).toBe(hex);
    }
    expect(bytesToText(Buffer.from("a481ff", "hex"), "dec8")).toBe("?\u0081?");
    // what the charset cannot hold is stored as ?, as the server stores it ('@' is É in swe7)
    expect(textToBytes("@中", "swe7")).toEqual(Buffer.from("??"));
  });

  it("names utf8 for utf8mb3 (the name DTS and its SDK know), and utf8mb4 for the charsets Java cannot decode, whose text goes as UTF-8", () => {
    expect(["tis620", "koi8u", "latin1", "utf8mb4", "utf8mb3", "utf8", "swe7", "dec8", "keybcs2", "geostd8", "nosuch"].map(writtenCharset))
      .toEqual(["tis620", "koi8u", "latin1", "utf8mb4", "utf8", "utf8", "utf8mb4", "utf8mb4", "utf8mb4", "utf8mb4", "utf8mb4"]);
    expect(writtenBytesCharset("swe7")).toBe("utf8mb4");
    expect(writtenBytesCharset("tis620")).toBe("tis620");
  });

  it("gives the 256 characters of a single-byte charset for zongji's iconv-lite", () => {
    const dec8 = singleByteCharacters("dec8");
    expect(dec8).toHaveLength(256);
    expect([dec8[0x41], dec8[0xe9], dec8[0xd7]]).toEqual(["A", "é", "Œ"]);
    expect(singleByteCharacters("hp8")[0xc5]).toBe("é");
  });
});

describe("DTS Avro Character values", () => {
  it("name the column's charset with its bytes, utf8 for utf8mb3, or utf8mb4 with UTF-8 bytes for a charset Java cannot decode", async () => {
    const { createEncoder } = await import("../../src/runtime/encode/index.js");
    const { decodeDtsAvro } = await import("../../src/messages/dts-avro.js");
    const { column, pipeline, row } = await import("./helpers.js");
    const columns = [column("id", "int"), column("a", "varchar(10)", { charset: "tis620" }), column("b", "varchar(10)", { charset: "swe7" }),
      column("c", "varchar(10)", { charset: "utf8mb3" }), column("d", "varchar(10)", { charset: "dec8" }), column("e", "text", { charset: "dec8" })];
    const table = { database: "shop", table: "t", columns, primaryKey: ["id"], uniqueKeys: {} };
    const [message] = createEncoder(pipeline("dts-avro")).encodeRows([row(table, "insert", null, [1, "กข", "åä", "é", "éŒ", "éŒ"], 1714557600)]);
    type Value = { "com.alibaba.dts.formats.avro.Character"?: { charset: string; value: Buffer }; "com.alibaba.dts.formats.avro.BinaryObject"?: { value: Buffer } };
    const after = (decodeDtsAvro(message!.value).record.afterImages as { array: Value[] }).array.map((v) => v["com.alibaba.dts.formats.avro.Character"]);
    expect([after[1]?.charset, after[1]?.value.toString("hex")]).toEqual(["tis620", "a1a2"]);
    expect([after[2]?.charset, after[2]?.value.toString("utf8")]).toEqual(["utf8mb4", "åä"]);
    expect([after[3]?.charset, after[3]?.value.toString("utf8")]).toEqual(["utf8", "é"]);
    expect([after[4]?.charset, after[4]?.value.toString("utf8")]).toEqual(["utf8mb4", "éŒ"]);
    // TEXT names no charset: its bytes are the column charset's, as for every other charset
    const text = (decodeDtsAvro(message!.value).record.afterImages as { array: Value[] }).array[5]?.["com.alibaba.dts.formats.avro.BinaryObject"];
    expect(text?.value.toString("hex")).toBe("e9d7");
  });
});
