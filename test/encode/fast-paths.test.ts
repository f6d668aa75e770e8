// The encoders' shortcuts (hand-written ASCII and UTF-8 copies, hand quoting of JSON strings,
// arithmetic wall-clock time, records as views of a shared slab) must give exactly the bytes
// of the plain way they replace.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ColumnValue, TimestampValue } from "../../src/runtime/change-event.js";
import { AvroWriter } from "../../src/runtime/encode/avro-writer.js";
import { canalJsonRenderer, canalRenderer, jsonQuote } from "../../src/runtime/encode/canal-text.js";
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
