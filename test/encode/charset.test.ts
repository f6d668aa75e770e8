// Text in a column's charset, as MySQL converts it: what the stream decodes from the binlog's
// bytes must equal what the initial sync's SELECT returns, and DTS Avro's bytes must be the
// stored ones.
import { describe, expect, it } from "vitest";
import { bytesToText, textToBytes } from "../../src/runtime/encode/charset.js";

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
});
