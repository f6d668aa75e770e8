// The row image reader against zongji's own: for every type it reads itself, random values of
// the type's whole range are encoded as the server writes them, read by both, and converted to
// the canonical value the encoders see; the two must agree. Rows with absent and NULL columns
// must come out as zongji's own rows event reader makes them.
import { describe, expect, it } from "vitest";
import { convertBinlogValue } from "../../src/runtime/source/column-values.js";
import { columnInfoFrom } from "../../src/runtime/source/table-schema.js";
import { BinlogTimestamp, columnReaders, readRowImage, type MapEntry, type RowParser, type ZongjiValueReader } from "../../src/runtime/source/row-image-reader.js";
// @ts-expect-error zongji's internals have no types
import { readMysqlValue } from "../../node_modules/@vlasky/zongji/lib/common.js";
// @ts-expect-error zongji's internals have no types
import { Parser } from "../../node_modules/@vlasky/zongji/lib/reader.js";
// @ts-expect-error zongji's internals have no types
import { WriteRows } from "../../node_modules/@vlasky/zongji/lib/rows_event.js";

const zongji = { connection: { config: { dateStrings: true, timezone: "Z" } } };
const settings = { dateStrings: true, timezone: "Z", decimalNumbers: undefined };

function parserOf(bytes: Buffer): RowParser {
  const parser = new Parser();
  parser.append(bytes);
  return parser as RowParser;
}

interface Case {
  type: number;
  metadata: Record<string, number> | null;
  charset?: string | null;
  columnType: string;
  info: Parameters<typeof columnInfoFrom>[0];
  value: () => Buffer;
}

const random = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(values: readonly T[]) => values[random(values.length)] as T;
const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => random(256)));

/** MySQL's binary DECIMAL for random digits (see row-image-reader.ts for the layout). */
function decimalBytes(precision: number, scale: number): Buffer {
  const words = (digits: number) => [...Array(Math.floor(digits / 9)).fill(9), ...(digits % 9 ? [digits % 9] : [])];
  const intWords = words(precision - scale).reverse(); // the partial word leads
  const fracWords = words(scale);
  const bytesOf = (digits: number) => [0, 1, 1, 2, 2, 3, 3, 4, 4, 4][digits] as number;
  const parts = [...intWords, ...fracWords].map((digits) => {
    const size = bytesOf(digits);
    const out = Buffer.alloc(size);
    out.writeUIntBE(pick([0, 0, 1, random(10 ** digits)]), 0, size);
    return out;
  });
  const bytes = Buffer.concat(parts);
  bytes[0] = (bytes[0] as number) | 0x80;
  if (Math.random() < 0.5) for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
  return bytes;
}

function fractionBytes(fsp: number): Buffer {
  if (fsp === 0) return Buffer.alloc(0);
  const size = (fsp + 1) >> 1;
  const out = Buffer.alloc(size);
  out.writeUIntBE(random(10 ** fsp) * (fsp % 2 ? 10 : 1), 0, size);
  return out;
}

function datetimeBytes(fsp: number): Buffer {
  if (Math.random() < 0.1) return Buffer.concat([Buffer.from([0x80, 0, 0, 0, 0]), fractionBytes(fsp)]);
  const yearMonth = random(10_000) * 13 + random(13);
  const packed = BigInt(yearMonth) * 2n ** 22n + BigInt(random(32)) * 2n ** 17n + BigInt(random(24)) * 2n ** 12n + BigInt(random(60)) * 64n + BigInt(random(60));
  const out = Buffer.alloc(5);
  out.writeUIntBE(Number(packed + 0x8000000000n), 0, 5);
  return Buffer.concat([out, fractionBytes(fsp)]);
}

function timestampBytes(fsp: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(pick([0, 1, random(2 ** 31)]));
  return Buffer.concat([out, fractionBytes(fsp)]);
}

function dateBytes(): Buffer {
  const out = Buffer.alloc(3);
  out.writeUIntLE(random(10_000) * 512 + random(13) * 32 + random(32), 0, 3);
  return out;
}

function lengthPrefixed(text: string, lengthSize: number): Buffer {
  const body = Buffer.from(text, "utf8");
  const head = Buffer.alloc(lengthSize);
  head.writeUIntLE(body.length, 0, lengthSize);
  return Buffer.concat([head, body]);
}

const texts = ["", "a", "héllo wörld", "日本語のテキスト", "emoji 😀 and more", "x".repeat(300)];
const numeric = (dataType: string, precision: number | null, scale: number | null) => ({ name: "c", columnType: dataType, dataType, nullable: "YES", charset: null, numericPrecision: precision, numericScale: scale, datetimePrecision: null, charLength: null });
const temporal = (dataType: string, fsp: number) => ({ name: "c", columnType: `${dataType}(${fsp})`, dataType, nullable: "YES", charset: null, numericPrecision: null, numericScale: null, datetimePrecision: fsp, charLength: null });
const text = (dataType: string) => ({ name: "c", columnType: dataType, dataType, nullable: "YES", charset: "utf8mb4", numericPrecision: null, numericScale: null, datetimePrecision: null, charLength: 255 });

const cases: Record<string, Case> = {};
for (const [name, type, size] of [["tinyint", 1, 1], ["smallint", 2, 2], ["mediumint", 9, 3], ["int", 3, 4], ["bigint", 8, 8]] as const) {
  for (const unsigned of [false, true]) {
    cases[`${name}${unsigned ? " unsigned" : ""}`] = { type, metadata: null, columnType: `${name}${unsigned ? " unsigned" : ""}`, info: { ...numeric(name, 19, 0), columnType: `${name}${unsigned ? " unsigned" : ""}` }, value: () => randomBytes(size) };
  }
}
cases["float"] = { type: 4, metadata: { size: 4 }, columnType: "float", info: numeric("float", 12, null), value: () => randomBytes(4) };
cases["double"] = { type: 5, metadata: { size: 8 }, columnType: "double", info: numeric("double", 22, null), value: () => randomBytes(8) };
for (const [precision, scale] of [[10, 0], [12, 2], [18, 9], [20, 10], [65, 30], [5, 5], [1, 0], [38, 0]] as const) {
  cases[`decimal(${precision},${scale})`] = { type: 246, metadata: { precision, decimals: scale }, columnType: `decimal(${precision},${scale})`, info: numeric("decimal", precision, scale), value: () => decimalBytes(precision, scale) };
}
for (let fsp = 0; fsp <= 6; fsp++) {
  cases[`datetime(${fsp})`] = { type: 18, metadata: { decimals: fsp }, columnType: `datetime(${fsp})`, info: temporal("datetime", fsp), value: () => datetimeBytes(fsp) };
  cases[`timestamp(${fsp})`] = { type: 17, metadata: { decimals: fsp }, columnType: `timestamp(${fsp})`, info: temporal("timestamp", fsp), value: () => timestampBytes(fsp) };
}
cases["date"] = { type: 10, metadata: null, columnType: "date", info: { ...temporal("date", 0), datetimePrecision: null }, value: () => dateBytes() };
cases["varchar(20)"] = { type: 15, metadata: { max_length: 80 }, charset: "utf8mb4", columnType: "varchar(20)", info: text("varchar"), value: () => lengthPrefixed(pick(texts).slice(0, 20), 1) };
cases["varchar(300)"] = { type: 15, metadata: { max_length: 1200 }, charset: "utf8mb4", columnType: "varchar(300)", info: text("varchar"), value: () => lengthPrefixed(pick(texts), 2) };
cases["char(80)"] = { type: 254, metadata: { max_length: 320 }, charset: "utf8mb4", columnType: "char(80)", info: text("char"), value: () => lengthPrefixed(pick(texts).slice(0, 80), 2) };
cases["text"] = { type: 252, metadata: { length_size: 2 }, charset: "utf8mb4", columnType: "text", info: text("text"), value: () => lengthPrefixed(pick(texts), 2) };
cases["mediumtext"] = { type: 252, metadata: { length_size: 3 }, charset: "utf8mb3", columnType: "mediumtext", info: { ...text("mediumtext"), charset: "utf8mb3" }, value: () => lengthPrefixed(pick(texts), 3) };

function entryOf(c: Case, count = 1): MapEntry {
  const column = { type: c.type, charset: c.charset ?? null, metadata: c.metadata };
  const schema = { COLUMN_TYPE: c.columnType, COLUMN_NAME: "c", CHARACTER_SET_NAME: c.charset ?? null };
  return { columns: Array.from({ length: count }, (_, i) => ({ ...column, name: i })), columnSchemas: Array.from({ length: count }, () => ({ ...schema })) } as unknown as MapEntry;
}

describe("row image reader", () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`reads ${name} as zongji does`, () => {
      const entry = entryOf(c);
      const [read] = columnReaders(entry, settings, readMysqlValue as ZongjiValueReader, zongji);
      const info = columnInfoFrom(c.info);
      for (let n = 0; n < 500; n++) {
        const bytes = c.value();
        const ours = parserOf(bytes);
        const theirs = parserOf(bytes);
        const expected = readMysqlValue(theirs, entry.columns[0], entry.columnSchemas[0], entry, zongji);
        const actual = (read as (p: RowParser) => unknown)(ours);
        expect(convertBinlogValue(actual, info), `${bytes.toString("hex")}: zongji read ${String(expected)}`).toEqual(convertBinlogValue(expected, info));
        expect(ours._offset).toBe(theirs._offset);
      }
    });
  }

  it("reads TIME2 as the server writes it, negative values and their fractions included", () => {
    /** MySQL's my_time_packed_to_binary of [-]h:m:s.micros, truncated to fsp digits. */
    const timeBytes = (negative: boolean, h: number, m: number, sec: number, micros: number, fsp: number): Buffer => {
      const kept = fsp === 0 ? 0 : Math.floor(micros / 10 ** (6 - fsp)) * 10 ** (6 - fsp);
      const packed = BigInt((((h << 12) | (m << 6) | sec) >>> 0)) * 2n ** 24n + BigInt(kept);
      const nr = negative ? -packed : packed;
      const intPart = nr >> 24n; // floor, as MySQL's arithmetic shift
      const fracPart = nr - (nr / 2n ** 24n) * 2n ** 24n; // C's remainder: the sign of nr
      const bytes = (fsp + 1) >> 1;
      const out = Buffer.alloc(3 + bytes);
      if (fsp >= 5) {
        out.writeUIntBE(Number((nr + 0x800000000000n) & 0xffffffffffffn), 0, 6);
        return out;
      }
      out.writeUIntBE(Number(intPart + 0x800000n), 0, 3);
      if (bytes > 0) out.writeUIntBE(Number(BigInt.asUintN(8 * bytes, fracPart / (bytes === 1 ? 10000n : 100n))), 3, bytes);
      return out;
    };
    const c = (fsp: number): Case => ({ type: 19, metadata: { decimals: fsp }, columnType: `time(${fsp})`, info: temporal("time", fsp), value: () => Buffer.alloc(0) });
    const read = (fsp: number, bytes: Buffer) => (columnReaders(entryOf(c(fsp)), settings, readMysqlValue as ZongjiValueReader, zongji)[0] as (p: RowParser) => unknown)(parserOf(bytes));
    expect(read(0, timeBytes(true, 2, 0, 0, 0, 0))).toBe("-02:00:00");
    expect(read(0, timeBytes(false, 838, 59, 59, 0, 0))).toBe("838:59:59");
    expect(read(0, timeBytes(true, 838, 59, 59, 0, 0))).toBe("-838:59:59");
    expect(read(1, timeBytes(true, 0, 0, 1, 500_000, 1))).toBe("-00:00:01.5");
    expect(read(3, timeBytes(true, 1, 0, 0, 1000, 3))).toBe("-01:00:00.001");
    expect(read(6, timeBytes(true, 0, 0, 0, 1, 6))).toBe("-00:00:00.000001");
    for (let n = 0; n < 2000; n++) {
      const fsp = random(7);
      const [negative, h, m, sec, micros] = [Math.random() < 0.5, random(839), random(60), random(60), pick([0, 1, 999_999, random(1_000_000)])];
      const digits = fsp === 0 ? "" : `.${String(micros).padStart(6, "0").slice(0, fsp)}`;
      const zero = h === 0 && m === 0 && sec === 0 && /^\.?0*$/.test(digits);
      const text = `${negative && !zero ? "-" : ""}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}${digits}`;
      expect(read(fsp, timeBytes(negative, h, m, sec, micros, fsp)), text).toBe(text);
    }
  });

  it("reads GEOMETRY as the server's bytes, SRID and every kind of shape kept", () => {
    const geometry = { ...text("geometry"), charset: null };
    const info = columnInfoFrom(geometry);
    const c: Case = { type: 255, metadata: { length_size: 4 }, columnType: "geometry", info: geometry, value: () => Buffer.alloc(0) };
    const [read] = columnReaders(entryOf(c), settings, readMysqlValue as ZongjiValueReader, zongji);
    // SRID 4326, MULTIPOINT(1 2, 3 4); and SRID 0, GEOMETRYCOLLECTION EMPTY
    const values = [
      "e6100000010400000002000000" + "0101000000000000000000f03f0000000000000040" + "010100000000000000000008400000000000001040",
      "00000000010700000000000000",
    ];
    for (const hex of values) {
      const stored = Buffer.from(hex, "hex");
      const length = Buffer.alloc(4);
      length.writeUInt32LE(stored.length);
      const parser = parserOf(Buffer.concat([length, stored, Buffer.from([0xaa])]));
      const bytes = convertBinlogValue((read as (p: RowParser) => unknown)(parser), info) as Uint8Array;
      expect(Buffer.from(bytes).toString("hex")).toBe(hex);
      expect(parser._offset).toBe(4 + stored.length);
    }
  });

  it("reads text of other charsets by MySQL's tables, as the initial sync's SELECT does", () => {
    // Bytes and the text MariaDB 10.11 converts them to (zongji's iconv-lite reads 0x95 as ∙, 0x80 as U+FFFD).
    for (const [charset, hex, expected] of [["koi8u", "95a4", "•є"], ["tis620", "80a1", "\u0080ก"], ["cp866", "fc", "ⁿ"]] as const) {
      const c: Case = { type: 15, metadata: { max_length: 10 }, charset, columnType: "varchar(10)", info: { ...text("varchar"), charset }, value: () => Buffer.alloc(0) };
      const [read] = columnReaders(entryOf(c), settings, readMysqlValue as ZongjiValueReader, zongji);
      const parser = parserOf(Buffer.concat([Buffer.from([hex.length / 2]), Buffer.from(hex, "hex")]));
      expect(convertBinlogValue((read as (p: RowParser) => unknown)(parser), columnInfoFrom(c.info)), charset).toBe(expected);
    }
  });

  it("reads MariaDB 5.3's TIME, negative values included", () => {
    const c: Case = { type: 11, metadata: null, columnType: "time /* mariadb-5.3 */", info: temporal("time", 0), value: () => Buffer.alloc(0) };
    const [read] = columnReaders(entryOf(c), settings, readMysqlValue as ZongjiValueReader, zongji);
    // The server stores ±(h*10000 + m*100 + s) as 3 bytes, little-endian, two's complement.
    for (const [h, m, sec, negative] of [[365, 0, 0, true], [0, 1, 0, true], [1, 53, 0, true], [2, 0, 0, true], [838, 59, 59, true], [838, 59, 59, false], [0, 0, 0, false], [12, 34, 56, false]] as const) {
      const stored = Buffer.alloc(3);
      stored.writeIntLE((negative ? -1 : 1) * (h * 10000 + m * 100 + sec), 0, 3);
      const text = `${negative ? "-" : ""}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
      expect((read as (p: RowParser) => unknown)(parserOf(stored)), text).toBe(text);
    }
  });

  it("hands a TIMESTAMP value to a column now of another type as the text zongji made of it", () => {
    const datetime = columnInfoFrom(temporal("datetime", 6));
    const varchar = columnInfoFrom(text("varchar"));
    expect(convertBinlogValue(new BinlogTimestamp(1_700_000_000, 120_000), datetime)).toBe("2023-11-14 22:13:20.12");
    expect(convertBinlogValue(new BinlogTimestamp(1_700_000_000, 0), varchar)).toBe("2023-11-14 22:13:20");
    expect(convertBinlogValue(new BinlogTimestamp(0, 0), varchar)).toBe("0000-00-00 00:00:00");
    // A JSON document of the same shape, as zongji parses one, stays a document.
    const json = columnInfoFrom({ ...text("json"), dataType: "json", columnType: "json" });
    expect(convertBinlogValue({ kind: "timestamp", epochSeconds: 0, micros: 0 }, json)).toBe('{"kind":"timestamp","epochSeconds":0,"micros":0}');
  });

  it("reads rows with absent and NULL columns as zongji's rows event reader does", () => {
    const c = cases["decimal(12,2)"] as Case;
    const entry = entryOf(c, 11);
    const readers = columnReaders(entry, settings, readMysqlValue as ZongjiValueReader, zongji);
    for (let n = 0; n < 200; n++) {
      const present = Buffer.from([random(256), random(8)]);
      const presentColumns = [...Array(11).keys()].filter((i) => ((present[i >> 3] as number) & (1 << (i & 7))) !== 0);
      const nulls = Buffer.from([random(256), random(8)].slice(0, Math.ceil(presentColumns.length / 8) || 0));
      const values = presentColumns.filter((_, k) => ((nulls[k >> 3] as number) & (1 << (k & 7))) === 0).map(() => c.value());
      const bytes = Buffer.concat([nulls, ...values]);
      const event = { tableId: 1, tableMap: { 1: entry }, columns_present_bitmap: present, _zongji: zongji };
      const theirs = parserOf(bytes);
      const expected = (WriteRows.prototype._fetchOneRow as (this: object, p: RowParser) => Record<number, unknown>).call(event, theirs);
      const ours = parserOf(bytes);
      const actual = readRowImage(ours, readers, present);
      expect(actual).toEqual(Array.from({ length: 11 }, (_, i) => expected[i]));
      expect(ours._offset).toBe(theirs._offset);
    }
  });
});
