// Row filters: a plan FilterExpr compiled once per table into a function over canonical row
// images, evaluated with SQL three-valued logic (true / false / null = UNKNOWN). A row passes
// only when the result is true. Comparisons follow MySQL where it matters for filters: numbers
// compare exactly (integers and DECIMAL as decimal text), a number against a string column
// converts the string, temporal strings compare after dropping trailing fractional zeros.
// A TIMESTAMP column compares with a literal read as wall-clock time in the source's zone, at
// the offset in force on the literal's own date (see wallClockInstant), read once per filter.
import type { ColumnInfo, ColumnValue, RowImage, TableInfo, TimestampValue } from "../change-event.js";
import type { FilterExpr, FilterLiteral } from "../../generated/plan.js";
import { columnFamily } from "../encode/column-family.js";
import { wallClockInstant, type ZoneClock } from "../encode/time-zone.js";
import { RuntimeError } from "../errors.js";
import { findColumn, MISSING_COLUMN_FIX, missingColumnText } from "./column-names.js";
import { compileLike } from "./like.js";

export type Truth = boolean | null;
export type RowPredicate = (image: RowImage) => Truth;

export interface FilterContext {
  /** The source's time zone, in which TIMESTAMP literals are wall-clock times. */
  zone: ZoneClock;
}

/** A TIMESTAMP literal's instant; null when the text is not a date or datetime. */
type InstantOf = (text: string) => TimestampValue | null;

const utf8 = new TextDecoder();

function not(value: Truth): Truth {
  return value === null ? null : !value;
}

const decimalText = /^(-?)0*(\d*?)(?:\.(\d*?)0*)?$/;

/** Compares two plain decimal texts exactly; null when either is not plain decimal. */
export function compareDecimalText(a: string, b: string): number | null {
  const ma = decimalText.exec(a.trim());
  const mb = decimalText.exec(b.trim());
  if (!ma || !mb) return null;
  const zeroA = !/[1-9]/.test(a);
  const zeroB = !/[1-9]/.test(b);
  const signA = zeroA ? 0 : ma[1] === "-" ? -1 : 1;
  const signB = zeroB ? 0 : mb[1] === "-" ? -1 : 1;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  const intA = ma[2] ?? "", intB = mb[2] ?? "";
  let magnitude: number;
  if (intA.length !== intB.length) magnitude = intA.length < intB.length ? -1 : 1;
  else {
    const fracA = ma[3] ?? "", fracB = mb[3] ?? "";
    const width = Math.max(fracA.length, fracB.length);
    const digitsA = intA + fracA.padEnd(width, "0");
    const digitsB = intB + fracB.padEnd(width, "0");
    magnitude = digitsA === digitsB ? 0 : digitsA < digitsB ? -1 : 1;
  }
  return signA * magnitude;
}

function compareNumbers(a: number, b: number): number | null {
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** MySQL's string-to-number conversion: the longest numeric prefix, else 0. */
function stringToNumber(text: string): number {
  const match = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text);
  return match ? Number(match[0]) : 0;
}

function trimFraction(text: string): string {
  return text.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

function isTimestamp(value: ColumnValue): value is TimestampValue {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array);
}

function datetimeTextToEpoch(text: string, zone: ZoneClock): TimestampValue | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$/.exec(text.trim());
  if (!m) return null;
  const millis = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return { kind: "timestamp", epochSeconds: wallClockInstant(millis / 1000, zone), micros: Number((m[7] ?? "").padEnd(6, "0")) };
}

/** Reads each literal once: a zone's offsets are looked up per text, not per row. */
function instantReader(zone: ZoneClock): InstantOf {
  const read = new Map<string, TimestampValue | null>();
  return (text) => {
    if (!read.has(text)) read.set(text, datetimeTextToEpoch(text, zone));
    return read.get(text) ?? null;
  };
}

function valueText(value: Exclude<ColumnValue, null>): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number") return String(value);
  if (value instanceof Uint8Array) return utf8.decode(value);
  return String(value.epochSeconds);
}

/** Integer columns hold numbers or bigints (the initial sync keeps exact integers as numbers). */
function isIntegerColumn(column: ColumnInfo): boolean {
  return columnFamily(column) === "integer";
}

function compareValue(value: ColumnValue, literal: FilterLiteral, column: ColumnInfo, instantOf: InstantOf): number | null {
  if (value === null || literal === null) return null;
  if ("number" in literal) {
    const text = literal.number;
    // Integers compare as digits, exactly, whether a reader made them numbers or bigints.
    if (typeof value === "number") return (isIntegerColumn(column) ? compareDecimalText(String(value), text) : null) ?? compareNumbers(value, Number(text));
    if (typeof value === "bigint") return compareDecimalText(value.toString(), text) ?? compareNumbers(Number(value), Number(text));
    if (typeof value === "string" && (column.dataType === "decimal" || column.dataType === "numeric")) {
      return compareDecimalText(value, text) ?? compareNumbers(Number(value), Number(text));
    }
    if (isTimestamp(value)) return compareNumbers(value.epochSeconds + value.micros / 1e6, Number(text));
    return compareNumbers(stringToNumber(valueText(value)), Number(text));
  }
  const text = literal.string;
  if (typeof value === "bigint") return compareDecimalText(value.toString(), text) ?? compareNumbers(Number(value), stringToNumber(text));
  if (typeof value === "number") return (isIntegerColumn(column) ? compareDecimalText(String(value), text) : null) ?? compareNumbers(value, stringToNumber(text));
  if (isTimestamp(value)) {
    const other = instantOf(text);
    if (!other) return null;
    return compareNumbers(value.epochSeconds, other.epochSeconds) || compareNumbers(value.micros, other.micros);
  }
  if (typeof value === "string" && (column.dataType === "decimal" || column.dataType === "numeric")) {
    return compareDecimalText(value, text) ?? compareNumbers(Number(value), stringToNumber(text));
  }
  let left = valueText(value);
  let right = text;
  if (/^(datetime|time)$/.test(column.dataType)) {
    left = trimFraction(left);
    right = trimFraction(right);
  }
  return left === right ? 0 : left < right ? -1 : 1;
}

const comparisons: Record<string, (c: number) => boolean> = {
  "=": (c) => c === 0,
  "!=": (c) => c !== 0,
  "<": (c) => c < 0,
  "<=": (c) => c <= 0,
  ">": (c) => c > 0,
  ">=": (c) => c >= 0,
};

type ColumnLookup = (name: string) => [number, ColumnInfo];
type FilterOf<Op extends FilterExpr["op"]> = Extract<FilterExpr, { op: Op }>;

/** Resolves the filter's column names once, so a name the table lacks fails at compile time. */
function columnLookup(table: TableInfo, where: string): ColumnLookup {
  return (name) => {
    const index = findColumn(table.columns.map((c) => c.name), name);
    if (index < 0) {
      throw new RuntimeError("config", missingColumnText(where, name, `${table.database}.${table.table}`), { hint: MISSING_COLUMN_FIX });
    }
    return [index, table.columns[index] as ColumnInfo];
  };
}

/**
 * AND and OR are duals: the first part equal to `decisive` (false for AND, true for OR) settles
 * the result; otherwise any UNKNOWN part makes the result UNKNOWN.
 */
function junction(parts: RowPredicate[], decisive: boolean): RowPredicate {
  return (image) => {
    let result: Truth = !decisive;
    for (const part of parts) {
      const v = part(image);
      if (v === decisive) return decisive;
      if (v === null) result = null;
    }
    return result;
  };
}

function isNullTest(e: FilterOf<"is-null">, lookup: ColumnLookup): RowPredicate {
  const [index] = lookup(e.column);
  return e.negated ? (image) => (image[index] ?? null) !== null : (image) => (image[index] ?? null) === null;
}

function likeTest(e: FilterOf<"like">, lookup: ColumnLookup): RowPredicate {
  const [index] = lookup(e.column);
  const like = compileLike(e.pattern);
  return (image) => {
    const value = image[index] ?? null;
    if (value === null) return null;
    const matched = like(valueText(value));
    return e.negated ? !matched : matched;
  };
}

function inTest(e: FilterOf<"in">, lookup: ColumnLookup, instantOf: InstantOf): RowPredicate {
  const [index, column] = lookup(e.column);
  return (image) => {
    let result: Truth = false;
    for (const literal of e.values) {
      const c = compareValue(image[index] ?? null, literal, column, instantOf);
      if (c === 0) {
        result = true;
        break;
      }
      if (c === null) result = null;
    }
    return e.negated ? not(result) : result;
  };
}

function betweenTest(e: FilterOf<"between">, lookup: ColumnLookup, instantOf: InstantOf): RowPredicate {
  const [index, column] = lookup(e.column);
  return (image) => {
    const value = image[index] ?? null;
    const low = compareValue(value, e.low, column, instantOf);
    const high = compareValue(value, e.high, column, instantOf);
    const lowOk: Truth = low === null ? null : low >= 0;
    const highOk: Truth = high === null ? null : high <= 0;
    const result: Truth = lowOk === false || highOk === false ? false : lowOk === null || highOk === null ? null : true;
    return e.negated ? not(result) : result;
  };
}

function comparisonTest(e: FilterOf<"=" | "!=" | "<" | "<=" | ">" | ">=">, lookup: ColumnLookup, instantOf: InstantOf): RowPredicate {
  const [index, column] = lookup(e.column);
  const test = comparisons[e.op] as (c: number) => boolean;
  const literal = e.value;
  return (image) => {
    const c = compareValue(image[index] ?? null, literal, column, instantOf);
    return c === null ? null : test(c);
  };
}

export function compileFilter(expr: FilterExpr, table: TableInfo, context: FilterContext, where = "row filter"): RowPredicate {
  const lookup = columnLookup(table, where);
  const instantOf = instantReader(context.zone);
  const compile = (e: FilterExpr): RowPredicate => {
    switch (e.op) {
      case "and":
        return junction(e.args.map(compile), false);
      case "or":
        return junction(e.args.map(compile), true);
      case "not": {
        const inner = compile(e.arg);
        return (image) => not(inner(image));
      }
      case "is-null":
        return isNullTest(e, lookup);
      case "like":
        return likeTest(e, lookup);
      case "in":
        return inTest(e, lookup, instantOf);
      case "between":
        return betweenTest(e, lookup, instantOf);
      default:
        return comparisonTest(e, lookup, instantOf);
    }
  };
  return compile(expr);
}
