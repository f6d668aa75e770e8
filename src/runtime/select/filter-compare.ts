// One filter comparison (column against a literal), compiled once per literal into a function
// of the column's value: a sign (<0, 0, >0), or null when the SQL result is UNKNOWN. Each
// column family compares as MariaDB compares it with that kind of literal:
// - numbers exactly (integers and DECIMAL as decimal text); a string against a number is its
//   numeric prefix, exactly against an integer or DECIMAL (stringToDecimalText); a double
//   literal against a BIGINT the integer the server turns it into (bigintOfDouble);
// - YEAR against the year the server reads a literal as (`24` is 2024: filter-year);
// - text by code point (utf8mb4_bin's order); BINARY, VARBINARY, BLOB as bytes (memcmp);
// - ENUM against a number by its index (1-based, '' is 0), SET by its bitmask; against a
//   string, both by their text;
// - DATE and DATETIME as datetimes, TIMESTAMP as instants (the zero timestamp before all),
//   TIME as signed durations, with the literal read as the server reads it (filter-temporal).
import type { ColumnInfo, ColumnValue, TimestampValue } from "../change-event.js";
import type { FilterLiteral } from "../../generated/plan.js";
import { daysToMonth } from "../encode/calendar.js";
import { enumIndex, setBitmask } from "../encode/canal-text.js";
import { columnFamily } from "../encode/column-family.js";
import { declaresEmptyLabel, serverSetText } from "../encode/set-text.js";
import { wallClockInstant, type ZoneClock } from "../encode/time-zone.js";
import { bigintOfDouble, compareDecimalText, compareNumbers, stringToDecimalText, stringToNumber } from "./filter-number.js";
import {
  datetimeKey, datetimeOfNumber, datetimeOfString, datetimeTextComparer, isZeroDate, timeOfNumber, timeOfString, timeValueMicros,
  type DatetimeParts,
} from "./filter-temporal.js";
import { yearOfLiteral } from "./filter-year.js";

export type Comparison = (value: ColumnValue) => number | null;
type ValueComparison = (value: Exclude<ColumnValue, null>) => number | null;

/** Orders UTF-16 strings by code point: a surrogate (a code point above U+FFFF) sorts after U+E000–U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return codePointOrder(x) < codePointOrder(y) ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

const codePointOrder = (unit: number): number => (unit >= 0xe000 ? unit - 0x800 : unit + 0x2000);

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

function valueNumber(value: Exclude<ColumnValue, null>): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") return stringToNumber(value);
  if (value instanceof Uint8Array) return stringToNumber(latin1(value));
  return value.epochSeconds;
}

/** Numbers and the text families, against a number (`asDecimal` its exact text, `asNumber` its double). */
function againstNumber(column: ColumnInfo, asDecimal: string | null, asNumber: number): ValueComparison {
  const exactColumn = columnFamily(column) === "integer" || columnFamily(column) === "decimal";
  return (value) => {
    // Integers compare as digits, exactly, whether a reader made them numbers or bigints.
    if (asDecimal !== null && (typeof value === "bigint" || (exactColumn && (typeof value === "number" || typeof value === "string")))) {
      const exact = compareDecimalText(String(value), asDecimal);
      if (exact !== null) return exact;
    }
    return compareNumbers(valueNumber(value), asNumber);
  };
}

function againstText(column: ColumnInfo, text: string): ValueComparison {
  const family = columnFamily(column);
  if (family === "set" && declaresEmptyLabel(column)) {
    // The canonical text leads with `,` when '' is set; the server compares its own text.
    return (value) => (typeof value === "string" ? compareCodePoints(serverSetText(value), text) : null);
  }
  if (family === "text" || family === "json" || family === "enum" || family === "set") {
    return (value) => (typeof value === "string" ? compareCodePoints(value, text) : null);
  }
  if (family === "binary" || family === "geometry") {
    const bytes = Buffer.from(text, "utf8");
    return (value) => (value instanceof Uint8Array ? Buffer.compare(value, bytes) : null);
  }
  return againstNumber(column, stringToDecimalText(text), stringToNumber(text));
}

/** ENUM against a number: its index, 1 for the first label, 0 for the invalid ''. */
function enumIndexAgainst(column: ColumnInfo, literal: string): ValueComparison {
  const labels = column.labels ?? [];
  const target = Number(literal);
  return (value) => compareNumbers(enumIndex(labels, value as string), target);
}

/** SET against a number: the bitmask of its members, the first label the lowest bit. */
function setBitmaskAgainst(column: ColumnInfo, literal: string): ValueComparison {
  const labels = column.labels ?? [];
  const target = Number(literal);
  return (value) => {
    const mask = setBitmask(labels, value as string);
    return compareDecimalText(mask.toString(), literal) ?? compareNumbers(Number(mask), target);
  };
}

function literalDatetime(literal: Exclude<FilterLiteral, null>): DatetimeParts {
  return "number" in literal ? datetimeOfNumber(literal.number) : datetimeOfString(literal.string);
}

/**
 * The literal as an instant in the source's zone. The zero datetime is before every instant; a
 * date with a zero month or day (`2024-00-00`) half a microsecond before the first day it
 * stands for, where the server orders it.
 */
function literalInstant(parts: DatetimeParts, zone: ZoneClock): TimestampValue {
  if (isZeroDate(parts)) return { kind: "timestamp", epochSeconds: Number.NEGATIVE_INFINITY, micros: 0 };
  const partial = parts.month === 0 || parts.day === 0;
  const days = daysToMonth(parts.year, Math.max(parts.month, 1)) + (parts.month === 0 ? 0 : Math.max(parts.day, 1) - 1);
  const local = days * 86_400 + (partial ? 0 : parts.hour * 3600 + parts.minute * 60 + parts.second);
  return { kind: "timestamp", epochSeconds: wallClockInstant(local, zone), micros: partial ? -0.5 : parts.micros };
}

function timestampAgainst(literal: Exclude<FilterLiteral, null>, zone: ZoneClock): ValueComparison {
  const other = literalInstant(literalDatetime(literal), zone);
  return (value) => {
    if (typeof value !== "object" || value instanceof Uint8Array) return null;
    // The zero timestamp is 0 seconds in a row image, and '0000-00-00 00:00:00' on the server.
    const seconds = value.epochSeconds === 0 && value.micros === 0 ? Number.NEGATIVE_INFINITY : value.epochSeconds;
    return compareNumbers(seconds, other.epochSeconds) || compareNumbers(value.micros, other.micros);
  };
}

function datetimeAgainst(literal: Exclude<FilterLiteral, null>): ValueComparison {
  const compare = datetimeTextComparer(datetimeKey(literalDatetime(literal)));
  return (value) => (typeof value === "string" ? compare(value) : null);
}

function timeAgainst(literal: Exclude<FilterLiteral, null>): ValueComparison {
  const micros = "number" in literal ? timeOfNumber(literal.number) : timeOfString(literal.string);
  return (value) => (typeof value === "string" ? compareNumbers(timeValueMicros(value), micros) : null);
}

function valueComparison(column: ColumnInfo, literal: Exclude<FilterLiteral, null>, zone: ZoneClock): ValueComparison {
  const family = columnFamily(column);
  if (family === "timestamp") return timestampAgainst(literal, zone);
  if (family === "date" || family === "datetime") return datetimeAgainst(literal);
  if (family === "time") return timeAgainst(literal);
  const year = family === "year" ? yearOfLiteral(literal) : null;
  if (year !== null) return againstNumber(column, String(year), year);
  if (!("number" in literal)) return againstText(column, literal.string);
  if (family === "enum") return enumIndexAgainst(column, literal.number);
  if (family === "set") return setBitmaskAgainst(column, literal.number);
  return againstNumber(column, exactNumberText(column, literal.number), Number(literal.number));
}

/** A number literal's exact text for comparing exactly, or null to compare it as a double. */
function exactNumberText(column: ColumnInfo, text: string): string | null {
  if (!/[eE]/.test(text)) return text;
  return column.dataType.toLowerCase() === "bigint" ? bigintOfDouble(Number(text), column.unsigned) : null;
}

/** Compiles `column <op> literal` once; a NULL on either side compares as UNKNOWN (null). */
export function compileComparison(column: ColumnInfo, literal: FilterLiteral, zone: ZoneClock): Comparison {
  if (literal === null) return () => null;
  const compare = valueComparison(column, literal, zone);
  return (value) => (value === null ? null : compare(value));
}
