// The encoders' shortcuts (hand-written ASCII and UTF-8 copies, hand quoting of JSON strings,
// arithmetic wall-clock time, records as views of a shared slab) must give exactly the bytes
// of the plain way they replace.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ColumnValue, RowText, TimestampValue } from "../../src/runtime/change-event.js";
import { AvroWriter } from "../../src/runtime/encode/avro-writer.js";
import { canalJsonRenderer, canalRenderer, canalTextWriter, canalValueWriter, jsonQuote } from "../../src/runtime/encode/canal-text.js";
import { JsonWriter } from "../../src/runtime/encode/json-writer.js";
import { messageKeyBuilder } from "../../src/runtime/encode/message-key.js";
import { fractionText, timestampText, zoneClock } from "../../src/runtime/encode/time-zone.js";
import { tableArb } from "./arbitraries.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { column, pipeline, row } from "./helpers.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 300);

/** Any UTF-16 code units, lone surrogates and control characters included. */
const codeUnit = fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd800, max: 0xdfff }));
const anyText = fc.oneof(
  fc.array(codeUnit, { maxLength: 80 }).map((units) => String.fromCharCode(...units)),
  fc.string({ unit: "binary", maxLength: 40 }),
  // lengths around the varint width limits (21/22, 63/64, 2730/2731 UTF-16 units)
  fc.tuple(fc.constantFrom(20, 21, 22, 63, 64, 2730, 2731, 8191, 8192), fc.constantFrom("a", "é", "€", "😀", "\ud800")).map(([n, c]) => c.repeat(n).slice(0, n)),
);

function avroStringReference(s: string): Buffer {
  const bytes = Buffer.from(s, "utf8");
  const w = new AvroWriter();
  w.long(bytes.length);
  w.raw(bytes);
  return Buffer.from(w.take());
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** timestampText as it was written before the arithmetic shortcut. */
function timestampTextReference(value: TimestampValue, fsp: number, offsetAt: (s: number) => number): string {
  if (value.epochSeconds === 0 && value.micros === 0) return `0000-00-00 00:00:00${fractionText(0, fsp)}`;
  const d = new Date((value.epochSeconds + offsetAt(value.epochSeconds)) * 1000);
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${fractionText(value.micros, fsp)}`;
}

describe("encoder fast paths", () => {
  it("AvroWriter.string writes what Buffer.from would", () => {
    const w = new AvroWriter();
    fc.assert(fc.property(anyText, (s) => {
      w.string(s);
      expect(w.take().toString("hex")).toBe(avroStringReference(s).toString("hex"));
    }), { numRuns: runs });
  });

  it("records taken from a small slab keep their bytes while later records are written", () => {
    fc.assert(fc.property(fc.array(fc.tuple(anyText, fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), { minLength: 1, maxLength: 30 }), (records) => {
      const w = new AvroWriter(64);
      const taken = records.map(([s, n]) => {
        const mark = w.mark;
        w.long(n);
        w.string(s);
        w.repeat(mark);
        return w.take();
      });
      records.forEach(([s, n], i) => {
        const once = new AvroWriter();
        once.long(n);
        const body = Buffer.concat([once.take(), avroStringReference(s)]);
        expect((taken[i] as Buffer).toString("hex")).toBe(Buffer.concat([body, body]).toString("hex"));
      });
    }), { numRuns: Math.ceil(runs / 3) });
  });

  it("jsonQuote is JSON.stringify", () => {
    fc.assert(fc.property(anyText, (s) => {
      expect(jsonQuote(s)).toBe(JSON.stringify(s));
    }), { numRuns: runs });
  });

  it("canal JSON renderers quote as JSON.stringify of canal's text", () => {
    const clock = zoneClock("Asia/Kolkata");
    fc.assert(fc.property(tableArb.chain(({ table, values }) => fc.tuple(fc.constant(table), fc.tuple(...values))), ([table, values]) => {
      table.columns.forEach((column, i) => {
        const value = values[i] as ColumnValue;
        const text = canalRenderer(column, clock)(value);
        expect(canalJsonRenderer(column, clock)(value)).toBe(text === null ? "null" : JSON.stringify(text));
      });
    }), { numRuns: runs });
  });

  it("AvroWriter.integerText writes what string(String(n)) would", () => {
    const integer = fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), fc.constantFrom(0, -0, 9, -9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 99_999_999, 100_000_000, 1e15, 1e15 - 1, -Number.MAX_SAFE_INTEGER, 1e21, 2 ** 53, 0n, BigInt(Number.MAX_SAFE_INTEGER) + 1n));
    const w = new AvroWriter(64);
    fc.assert(fc.property(integer, (n) => {
      w.integerText(n);
      const reference = new AvroWriter();
      reference.string(String(n));
      expect(w.take().toString("hex")).toBe(reference.take().toString("hex"));
    }), { numRuns: runs });
  });

  it("JsonWriter quotes as JSON.stringify and writes integers as String does, across slab moves", () => {
    const integer = fc.oneof(fc.integer(), fc.constantFrom(0, -0, 9, 10, -10, 99, 100, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 100_000_000, 1e15, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1.5), fc.maxSafeInteger());
    const big = fc.oneof(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), fc.constantFrom(0n, BigInt(Number.MAX_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER) + 1n, -BigInt(Number.MAX_SAFE_INTEGER) - 1n));
    fc.assert(fc.property(fc.array(fc.tuple(anyText, integer, big), { minLength: 1, maxLength: 20 }), (parts) => {
      const w = new JsonWriter(64);
      const taken = parts.map(([text, n, b]) => {
        w.quoted(text);
        w.integer(n);
        w.integer(b);
        return w.take();
      });
      parts.forEach(([text, n, b], i) => expect((taken[i] as Buffer).toString("hex")).toBe(Buffer.from(JSON.stringify(text) + String(n) + String(b), "utf8").toString("hex")));
    }), { numRuns: Math.ceil(runs / 3) });
  });

  it("canal value writers write the renderers' JSON", () => {
    const clock = zoneClock("Europe/Berlin");
    const w = new JsonWriter();
    fc.assert(fc.property(tableArb.chain(({ table, values }) => fc.tuple(fc.constant(table), fc.tuple(...values))), ([table, values]) => {
      table.columns.forEach((column, i) => {
        const value = values[i] as ColumnValue;
        canalValueWriter(column, clock)(w, value);
        expect(w.take().toString("utf8")).toBe(canalJsonRenderer(column, clock)(value));
      });
    }), { numRuns: runs });
  });

  it("canal text writers copy a text's bytes only when JSON keeps them, at any alignment", () => {
    // Texts mostly plain, with a byte JSON escapes, a non-ASCII or invalid UTF-8 byte somewhere.
    const odd = fc.constantFrom(0x00, 0x09, 0x1f, 0x22, 0x5c, 0x7f, 0x80, 0xc3, 0xe2, 0xff);
    const text = fc.tuple(fc.string({ unit: fc.constantFrom(..."ab z#!~{}0"), maxLength: 70, size: "max" }), fc.array(fc.tuple(fc.nat(), odd), { maxLength: 3 })).map(([plain, extras]) => {
      const bytes = Buffer.from(plain, "latin1");
      for (const [at, b] of extras) if (bytes.length > 0) bytes[at % bytes.length] = b;
      return bytes;
    });
    const clock = zoneClock("UTC");
    const varchar = column("note", "varchar(255)");
    const write = canalTextWriter(varchar, canalValueWriter(varchar, clock), clock);
    const w = new JsonWriter();
    fc.assert(fc.property(text, fc.nat({ max: 7 }), (bytes, offset) => {
      const memory = Buffer.alloc(offset + bytes.length + 8);
      bytes.copy(memory, offset);
      const row: RowText = { bytes: memory, start: () => offset, size: () => bytes.length, value: () => bytes.toString("utf8") };
      write(w, row, 0);
      expect(w.take().toString("hex")).toBe(Buffer.from(JSON.stringify(bytes.toString("utf8")), "utf8").toString("hex"));
    }), { numRuns: runs * 10 });
  });

  it.each(["+00:00", "-05:30", "+14:00", "America/New_York", "Australia/Lord_Howe"])("timestampText in %s matches Date's fields", (zone) => {
    const clock = zoneClock(zone);
    const instant = fc.record({
      kind: fc.constant("timestamp" as const),
      epochSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 86_400 * 2 })),
      micros: fc.integer({ min: 0, max: 999_999 }),
    });
    fc.assert(fc.property(instant, fc.integer({ min: 0, max: 6 }), (value, fsp) => {
      expect(timestampText(value, fsp, clock)).toBe(timestampTextReference(value, fsp, (s) => clock.offsetAt(s)));
    }), { numRuns: runs });
  });

  it("message keys quote integer key values as JSON.stringify does", () => {
    fc.assert(fc.property(tableArb.chain(({ table, values }) => fc.tuple(fc.constant(table), fc.tuple(...values))), ([table, values]) => {
      const key = messageKeyBuilder(table)(row(table, "insert", null, values, 1));
      if (key === null) return;
      const parsed = JSON.parse(key.toString("utf8")) as unknown[];
      expect(JSON.stringify(parsed)).toBe(key.toString("utf8"));
    }), { numRuns: runs });
  });
});

describe("canal JSON encoder", () => {
  it("messages taken from the slab keep their bytes as later messages are written", () => {
    const table = { database: "shop", table: "t", columns: [column("id", "bigint(20)"), column("note", "varchar(300)")], primaryKey: ["id"], uniqueKeys: {} };
    const options = { nowMs: () => 1_700_000_000_000 };
    const rows = Array.from({ length: 400 }, (_, i) => row(table, "insert", null, [BigInt(i), `note ${i} ${"é".repeat(i % 200)}`], 1));
    const encoder = createEncoder(pipeline("canal-json"), options);
    const kept = rows.map((r) => encoder.encodeRows([r])[0]!.value);
    const again = createEncoder(pipeline("canal-json"), options);
    rows.forEach((r, i) => expect(kept[i]!.toString("utf8")).toBe(Buffer.from(again.encodeRows([r])[0]!.value).toString("utf8")));
  });

  it("a message that failed half-way leaves nothing in the next one", () => {
    const table = { database: "shop", table: "t", columns: [column("id", "bigint(20)"), column("f", "float")], primaryKey: ["id"], uniqueKeys: {} };
    const options = { nowMs: () => 1_700_000_000_000 };
    const encoder = createEncoder(pipeline("canal-json"), options);
    const good = row(table, "insert", null, [1n, 1.5], 1);
    expect(() => encoder.encodeRows([row(table, "insert", null, [1n, Symbol("not a value") as unknown as ColumnValue], 1)])).toThrow();
    const after = encoder.encodeRows([good])[0]!.value;
    // The failed call used up batch id 1, as a batch that went out would.
    const reference = createEncoder(pipeline("canal-json"), options);
    reference.encodeRows([good]);
    expect(after.toString("utf8")).toBe(reference.encodeRows([good])[0]!.value.toString("utf8"));
  });
});

describe("DTS Avro encoder", () => {
  it("a record that failed half-way leaves nothing in the next one", () => {
    const table = { database: "shop", table: "t", columns: [column("id", "bigint(20)"), column("t", "time")], primaryKey: ["id"], uniqueKeys: {} };
    const encoder = createEncoder(pipeline("dts-avro"), { firstRecordId: 7 });
    const good = row(table, "insert", null, [1n, "10:00:00"], 1);
    expect(() => encoder.encodeRows([row(table, "insert", null, [1n, "not a time"], 1)])).toThrow(/not a TIME value/);
    const after = encoder.encodeRows([good])[0]!.value;
    const fresh = createEncoder(pipeline("dts-avro"), { firstRecordId: 8 }).encodeRows([good])[0]!.value;
    expect(after.toString("hex")).toBe(fresh.toString("hex"));
  });
});
