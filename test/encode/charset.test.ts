// Text in a column's charset, as MySQL converts it: what the stream decodes from the binlog's
// bytes must equal what the initial sync's SELECT returns, and DTS Avro's bytes must be the
// stored ones.
import { describe, expect, it } from "vitest";
import { bytesToText, textToBytes, writtenCharset } from "../../src/runtime/encode/charset.js";

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

  it("names utf8mb4 for the charsets it cannot write, whose text goes as UTF-8", () => {
    expect(["tis620", "koi8u", "latin1", "utf8mb4", "swe7", "dec8", "keybcs2", "geostd8"].map(writtenCharset))
      .toEqual(["tis620", "koi8u", "latin1", "utf8mb4", "utf8mb4", "utf8mb4", "utf8mb4", "utf8mb4"]);
    expect(textToBytes("å", "swe7")).toEqual(Buffer.from("å"));
  });
});

describe("DTS Avro Character values", () => {
  it("name the column's charset with its bytes, or utf8mb4 with UTF-8 bytes for a charset it cannot write", async () => {
    const { createEncoder } = await import("../../src/runtime/encode/index.js");
    const { decodeDtsAvro } = await import("../../src/messages/dts-avro.js");
    const { column, pipeline, row } = await import("./helpers.js");
    const table = { database: "shop", table: "t", columns: [column("id", "int"), column("a", "varchar(10)", { charset: "tis620" }), column("b", "varchar(10)", { charset: "swe7" })], primaryKey: ["id"], uniqueKeys: {} };
    const [message] = createEncoder(pipeline("dts-avro")).encodeRows([row(table, "insert", null, [1, "กข", "åä"], 1714557600)]);
    type Character = { "com.alibaba.dts.formats.avro.Character": { charset: string; value: Buffer } };
    const after = (decodeDtsAvro(message!.value).record.afterImages as { array: Character[] }).array.map((v) => v["com.alibaba.dts.formats.avro.Character"]);
    expect([after[1]?.charset, after[1]?.value.toString("hex")]).toEqual(["tis620", "a1a2"]);
    expect([after[2]?.charset, after[2]?.value.toString("utf8")]).toEqual(["utf8mb4", "åä"]);
  });
});
