// A value written in a test case → the raw value the binlog reader (zongji, configured as
// mysql-connection.ts does) hands the emitter for that column type, so the runtime's own
// convertBinlogValue turns it into the canonical value. docs/testing-specs.md lists the forms.
import type { Value } from "../compiler/index.js";
import { columnFamily, parseTimestampText, timestampText, zoneClock, type ColumnInfo, type ZoneClock } from "../runtime/index.js";
import { storedText } from "./text-values.js";

export type RawResult = { ok: true; raw: unknown } | { ok: false; message: string };

const utc = zoneClock("+00:00");
const fail = (message: string): RawResult => ({ ok: false, message });
const ok = (raw: unknown): RawResult => ({ ok: true, raw });

const integerRanges: Record<string, bigint> = { tinyint: 8n, smallint: 16n, mediumint: 24n, int: 32n, bigint: 64n };

/** Text of a number or string literal, or of true/false (1/0); null for anything else. */
function scalarText(value: Value): string | null {
  if (value.kind === "number" || value.kind === "string") return value.kind === "number" ? value.text : value.value;
  if (value.kind === "call" && value.args === null && (value.name.name === "true" || value.name.name === "false")) return value.name.name === "true" ? "1" : "0";
  return null;
}

function integerRaw(text: string, column: ColumnInfo): RawResult {
  if (!/^-?\d+$/.test(text)) return fail(`${column.name} is ${column.columnType}: write a whole number`);
  const bits = integerRanges[column.dataType] ?? 64n;
  const n = BigInt(text);
  const [min, max] = column.unsigned ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
  return n < min || n > max ? fail(`${text} is out of range for ${column.columnType} (${min} to ${max})`) : ok(text);
}

/** DECIMAL as the binlog gives it: exactly `scale` fraction digits. */
function decimalRaw(text: string, column: ColumnInfo): RawResult {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  const scale = column.scale ?? 0;
  const digits = (column.precision ?? 10) - scale;
  if (!m) return fail(`${column.name} is ${column.columnType}: write a decimal number such as 12.50`);
  const whole = (m[2] as string).replace(/^0+(?=\d)/, "");
  const fraction = m[3] ?? "";
  if (fraction.length > scale) return fail(`${text} has more than the ${scale} fraction digit(s) of ${column.columnType}`);
  if (whole.length > Math.max(digits, 1)) return fail(`${text} is out of range for ${column.columnType}`);
  if (column.unsigned && m[1]) return fail(`${column.columnType} takes no negative numbers`);
  return ok(`${m[1]}${whole}${scale ? `.${fraction.padEnd(scale, "0")}` : ""}`);
}

/** Fraction digits padded to the column's; more digits than it keeps is an error. */
function withFsp(text: string, fraction: string | undefined, column: ColumnInfo): RawResult {
  const fsp = column.fsp ?? 0;
  if ((fraction ?? "").length > fsp) return fail(`${text} has more fractional digits than ${column.columnType} keeps (${fsp})`);
  return ok(`${text.replace(/\.\d*$/, "")}${fsp ? `.${(fraction ?? "").padEnd(fsp, "0")}` : ""}`);
}

function temporalRaw(text: string, column: ColumnInfo, clock: ZoneClock): RawResult {
  const family = columnFamily(column);
  if (family === "date") return /^\d{4}-\d{2}-\d{2}$/.test(text) ? ok(text) : fail(`${column.name} is DATE: write "YYYY-MM-DD"`);
  if (family === "time") {
    const m = /^-?\d{2,3}:\d{2}:\d{2}(?:\.(\d{1,6}))?$/.exec(text);
    return m ? withFsp(text, m[1], column) : fail(`${column.name} is TIME: write "HH:MM:SS" or "-HH:MM:SS.ffffff"`);
  }
  const m = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.(\d{1,6}))?$/.exec(text);
  const shape = `write "YYYY-MM-DD HH:MM:SS[.ffffff]"${family === "timestamp" ? ", wall-clock time in the case's time zone" : ""}`;
  if (!m) return fail(`${column.name} is ${column.dataType.toUpperCase()}: ${shape}`);
  const fixed = withFsp(text, m[1], column);
  if (!fixed.ok || family !== "timestamp") return fixed;
  // The reader's session runs in UTC: TIMESTAMP arrives as UTC wall-clock text.
  const instant = parseTimestampText(fixed.raw as string, clock);
  return instant ? ok(timestampText(instant, column.fsp ?? 0, utc)) : fail(`${text} is not a TIMESTAMP value`);
}

function choiceRaw(text: string, column: ColumnInfo): RawResult {
  const labels = column.labels ?? [];
  if (column.dataType === "enum") return text === "" ? ok(undefined) : labels.includes(text) ? ok(text) : fail(`${JSON.stringify(text)} is not one of ${column.name}'s labels: ${labels.join(", ")}`);
  const chosen = text === "" ? [] : text.split(",");
  const unknown = chosen.find((label) => !labels.includes(label));
  if (unknown !== undefined) return fail(`${JSON.stringify(unknown)} is not one of ${column.name}'s labels: ${labels.join(", ")}`);
  return ok(labels.filter((label) => chosen.includes(label)).join(","));
}

/** hex("0a0b") for bytes; a string stands for its UTF-8 bytes. */
function bytesOf(value: Value, column: ColumnInfo): Buffer | string {
  if (value.kind === "string") return Buffer.from(value.value, "utf8");
  if (value.kind === "call" && value.name.name === "hex" && value.args?.length === 1 && value.args[0]?.kind === "string") {
    const hex = value.args[0].value;
    if (/^([0-9a-fA-F]{2})*$/.test(hex)) return Buffer.from(hex, "hex");
    return `hex() takes an even number of hex digits`;
  }
  return `${column.name} is ${column.columnType}: write a string (its UTF-8 bytes) or hex("0a0b")`;
}

function binaryRaw(value: Value, column: ColumnInfo, family: string): RawResult {
  const bytes = bytesOf(value, column);
  if (typeof bytes === "string") return fail(bytes);
  const length = column.precision;
  if (length === null || family === "geometry") return ok(bytes);
  if (bytes.length > length) return fail(`${column.name} is ${column.columnType}: ${bytes.length} bytes do not fit (at most ${length})`);
  // BINARY(n) is stored padded with zero bytes, and the binlog carries the padding.
  if (column.dataType === "binary") return ok(Buffer.concat([bytes, Buffer.alloc(length - bytes.length)]));
  return ok(bytes);
}

function scalarRaw(text: string, column: ColumnInfo, clock: ZoneClock): RawResult {
  switch (columnFamily(column)) {
    case "integer":
      return integerRaw(text, column);
    case "bit": {
      if (!/^\d+$/.test(text) || BigInt(text) >= 1n << BigInt(column.precision ?? 1)) return fail(`${column.name} is ${column.columnType}: write a number below 2^${column.precision ?? 1}`);
      return ok(text);
    }
    case "decimal":
      return decimalRaw(text, column);
    case "float":
    case "double":
      return Number.isFinite(Number(text)) && text.trim() !== "" ? ok(Number(text)) : fail(`${column.name} is ${column.columnType}: write a number`);
    case "year": {
      const year = Number(text);
      if (!/^\d+$/.test(text) || (year !== 0 && (year < 1901 || year > 2155))) return fail(`${column.name} is YEAR: write 1901 to 2155, or 0`);
      return ok(year === 0 ? 1900 : year);
    }
    case "date":
    case "datetime":
    case "time":
    case "timestamp":
      return temporalRaw(text, column, clock);
    case "enum":
    case "set":
      return choiceRaw(text, column);
    case "text": {
      const stored = storedText(text, column);
      return stored.ok ? ok(stored.text) : fail(stored.message);
    }
    default:
      return ok(text);
  }
}

/** The raw value for `column`, or why the written value does not fit it. */
export function rawValue(value: Value, column: ColumnInfo, clock: ZoneClock): RawResult {
  if (value.kind === "call" && value.args === null && value.name.name === "null") return column.nullable ? ok(null) : fail(`${column.name} is NOT NULL`);
  const family = columnFamily(column);
  if (family === "binary" || family === "geometry") return binaryRaw(value, column, family);
  const text = scalarText(value);
  if (text === null) return fail(`${column.name} takes a number, a string, true, false or null here`);
  if (family === "json" && value.kind !== "string") return fail(`${column.name} is JSON: write the document as a string, e.g. "{\\"a\\": 1}"`);
  return scalarRaw(text, column, clock);
}
