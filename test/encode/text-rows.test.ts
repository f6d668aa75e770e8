// Rows of the initial sync that come as the server's bytes (RowChange.text) must encode to
// exactly the bytes of the same rows as images, in both formats, keys and partitions included:
// the encoders copy the text of integers, DECIMAL, dates and text where the image path writes
// the value, and fall back to the value for everything else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ColumnInfo, ColumnValue, RowChange, RowImage, RowText, TimestampValue } from "../../src/runtime/change-event.js";
import { columnFamily } from "../../src/runtime/encode/column-family.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { timestampText, zoneClock } from "../../src/runtime/encode/time-zone.js";
import { tableArb } from "./arbitraries.js";
import { column, context, pipeline } from "./helpers.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 300);
const utc = zoneClock("+00:00");

/** The text MySQL's text protocol sends for a value, where the encoders may copy it; null where they read the value. */
function serverText(column: ColumnInfo, value: ColumnValue): Buffer | null {
  switch (columnFamily(column)) {
    case "integer":
      return Buffer.from(String(value));
    case "decimal":
    case "date":
    case "datetime":
    case "time":
    case "text":
    case "json":
    case "enum":
    case "set":
      return Buffer.from(value as string, "utf8");
    case "binary":
      return Buffer.from(value as Uint8Array);
    case "timestamp":
      // The snapshot session's time_zone is '+00:00'.
      return Buffer.from(timestampText(value as TimestampValue, column.fsp ?? 0, utc));
    default:
      return null;
  }
}

/** A RowText over one buffer holding the image's texts, with some bytes before each value. */
function textOf(columns: readonly ColumnInfo[], image: RowImage): RowText {
  const parts: Buffer[] = [];
  const starts: number[] = [];
  const sizes: number[] = [];
  let at = 0;
  columns.forEach((c, i) => {
    const value = image[i] ?? null;
    const text = value === null ? null : serverText(c, value);
    parts.push(Buffer.from([0xfa]));
    at += 1;
    starts.push(at);
    sizes.push(value === null ? -1 : (text?.length ?? 0));
    if (text) {
      parts.push(text);
      at += text.length;
    }
  });
  return {
    bytes: Buffer.concat(parts),
    start: (c) => starts[c] as number,
    size: (c) => sizes[c] as number,
    value: (c) => image[c] ?? null,
  };
}

function snapshotRow(table: RowChange["table"], after: RowImage, text: RowText | null): RowChange {
  return { kind: "row", operation: "insert", snapshot: true, table, before: null, after, eventTimeSeconds: 1_700_000_000, ...context, text };
}

/** An image with only the given columns (the rest absent), as the outbox builds for text rows. */
function keysOnly(image: RowImage, keep: readonly number[]): RowImage {
  const out: RowImage = new Array(image.length);
  for (const i of keep) out[i] = image[i] ?? null;
  return out;
}

// Canal-JSON shows TIMESTAMP in the pipeline's zone: UTC (copied), a fixed offset, and a zone with daylight saving time.
const cases = [
  ["dts-avro", "+00:00"],
  ["canal-json", "+00:00"],
  ["canal-json", "+08:00"],
  ["canal-json", "America/New_York"],
] as const;

describe.each(cases)("rows as the server's bytes (%s, zone %s)", (format, zone) => {
  it("encode to the bytes of the same rows as images", () => {
    const table = tableArb.chain(({ table, values }) => fc.tuple(fc.constant(table), fc.array(fc.tuple(...values), { minLength: 1, maxLength: 4 })));
    fc.assert(
      fc.property(table, ([info, images]) => {
        const identity = info.primaryKey.length > 0 ? info.primaryKey : (Object.values(info.uniqueKeys)[0] ?? []);
        const keyColumns = identity.map((name) => info.columns.findIndex((c) => c.name === name));
        const encode = (rows: RowChange[]) => createEncoder(pipeline(format, zone), { nowMs: () => 1 }).encodeRows(rows);
        const fromImages = encode(images.map((image) => snapshotRow(info, image as RowImage, null)));
        const fromText = encode(images.map((image) => snapshotRow(info, keysOnly(image as RowImage, keyColumns), textOf(info.columns, image as RowImage))));
        expect(fromText.map((m) => [m.key?.toString("hex"), m.value.toString("hex")])).toEqual(fromImages.map((m) => [m.key?.toString("hex"), m.value.toString("hex")]));
      }),
      { numRuns: runs },
    );
  });

  it("write text that JSON escapes from the value", () => {
    const columns = [column("id", "int(11)"), column("note", "varchar(255)"), column("doc", "json")];
    const table = { database: "shop", table: "t", columns, primaryKey: ["id"], uniqueKeys: {} };
    for (const note of ['say "hi"', "back\\slash", "line\nbreak", "tab\there", "\u0001", "é ✓ 😀", ""]) {
      const image: RowImage = [7, note, `{"note":${JSON.stringify(note)}}`];
      const encoder = () => createEncoder(pipeline(format, zone), { nowMs: () => 1 });
      const [expected] = encoder().encodeRows([snapshotRow(table, image, null)]);
      const [actual] = encoder().encodeRows([snapshotRow(table, keysOnly(image, [0]), textOf(columns, image))]);
      expect(actual?.value.toString("hex")).toBe(expected?.value.toString("hex"));
    }
  });
});

describe("canal-json text that is not UTF-8", () => {
  it("is written from the value, so the message stays UTF-8", () => {
    const columns = [column("id", "int(11)"), column("note", "varchar(255)")];
    const table = { database: "shop", table: "t", columns, primaryKey: ["id"], uniqueKeys: {} };
    const image: RowImage = [7, "\ufffda"];
    const bytes = Buffer.from([0x37, 0xff, 0x61]);
    const text: RowText = { bytes, start: (c) => (c === 0 ? 0 : 1), size: (c) => (c === 0 ? 1 : 2), value: (c) => image[c] ?? null };
    const [expected] = createEncoder(pipeline("canal-json"), { nowMs: () => 1 }).encodeRows([snapshotRow(table, image, null)]);
    const [actual] = createEncoder(pipeline("canal-json"), { nowMs: () => 1 }).encodeRows([snapshotRow(table, keysOnly(image, [0]), text)]);
    expect(actual?.value.toString("utf8")).toBe(expected?.value.toString("utf8"));
  });
});
