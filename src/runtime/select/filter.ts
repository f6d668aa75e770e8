// Row filters: a plan FilterExpr compiled once per table into a function over canonical row
// images, evaluated with SQL three-valued logic (true / false / null = UNKNOWN). A row passes
// only when the result is true. Each comparison is compiled once per literal to compare as
// MariaDB compares that column type with that literal (filter-compare.ts); LIKE matches the
// text or bytes the server matches (filter-like.ts). A TIMESTAMP literal is a wall-clock time
// in the source's zone, at the offset in force on the literal's own date (wallClockInstant).
import type { ColumnInfo, RowImage, TableInfo } from "../change-event.js";
import type { FilterExpr, FilterLiteral } from "../../generated/plan.js";
import { columnFamily } from "../encode/column-family.js";
import type { ZoneClock } from "../encode/time-zone.js";
import { RuntimeError } from "../errors.js";
import { findColumn, MISSING_COLUMN_FIX, missingColumnText } from "./column-names.js";
import { compileComparison } from "./filter-compare.js";
import { compileLikeMatch } from "./filter-like.js";
import { stringToNumber } from "./filter-number.js";

export { compareDecimalText } from "./filter-number.js";

export type Truth = boolean | null;
export type RowPredicate = (image: RowImage) => Truth;

export interface FilterContext {
  /** The source's time zone, in which TIMESTAMP literals are wall-clock times. */
  zone: ZoneClock;
}

function not(value: Truth): Truth {
  return value === null ? null : !value;
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

function likeTest(e: FilterOf<"like">, lookup: ColumnLookup, zone: ZoneClock): RowPredicate {
  const [index, column] = lookup(e.column);
  const like = compileLikeMatch(column, e.pattern, zone);
  return (image) => {
    const value = image[index] ?? null;
    if (value === null) return null;
    const matched = like(value);
    return e.negated ? !matched : matched;
  };
}

function inTest(e: FilterOf<"in">, lookup: ColumnLookup, zone: ZoneClock): RowPredicate {
  const [index, column] = lookup(e.column);
  const members = e.values.map((literal) => compileComparison(column, literal, zone));
  return (image) => {
    const value = image[index] ?? null;
    let result: Truth = false;
    for (const compare of members) {
      const c = compare(value);
      if (c === 0) {
        result = true;
        break;
      }
      if (c === null) result = null;
    }
    return e.negated ? not(result) : result;
  };
}

/** Families whose bounds the server reads one by one, each as it reads a single comparison's. */
const boundsReadAlone = new Set(["date", "datetime", "timestamp", "time", "year"]);

/**
 * BETWEEN a string and a number compares all three as numbers (MySQL aggregates the three
 * types), so `e BETWEEN 'x' AND 2` on an ENUM takes 'x' as 0 and the ENUM as its index. A YEAR
 * reads each bound as a year (`y BETWEEN '0' AND 30` is 2000 to 2030).
 */
function betweenBounds(e: FilterOf<"between">, column: ColumnInfo): [FilterLiteral, FilterLiteral] {
  const mixed = e.low !== null && e.high !== null && ("number" in e.low) !== ("number" in e.high);
  if (!mixed || boundsReadAlone.has(columnFamily(column))) return [e.low, e.high];
  const asNumber = (literal: FilterLiteral): FilterLiteral => (literal !== null && "string" in literal ? { number: String(stringToNumber(literal.string)) } : literal);
  return [asNumber(e.low), asNumber(e.high)];
}

function betweenTest(e: FilterOf<"between">, lookup: ColumnLookup, zone: ZoneClock): RowPredicate {
  const [index, column] = lookup(e.column);
  const [lowLiteral, highLiteral] = betweenBounds(e, column);
  const compareLow = compileComparison(column, lowLiteral, zone);
  const compareHigh = compileComparison(column, highLiteral, zone);
  return (image) => {
    const value = image[index] ?? null;
    const low = compareLow(value);
    const high = compareHigh(value);
    const lowOk: Truth = low === null ? null : low >= 0;
    const highOk: Truth = high === null ? null : high <= 0;
    const result: Truth = lowOk === false || highOk === false ? false : lowOk === null || highOk === null ? null : true;
    return e.negated ? not(result) : result;
  };
}

function comparisonTest(e: FilterOf<"=" | "!=" | "<" | "<=" | ">" | ">=">, lookup: ColumnLookup, zone: ZoneClock): RowPredicate {
  const [index, column] = lookup(e.column);
  const test = comparisons[e.op] as (c: number) => boolean;
  const compare = compileComparison(column, e.value, zone);
  return (image) => {
    const c = compare(image[index] ?? null);
    return c === null ? null : test(c);
  };
}

export function compileFilter(expr: FilterExpr, table: TableInfo, context: FilterContext, where = "row filter"): RowPredicate {
  const lookup = columnLookup(table, where);
  const zone = context.zone;
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
        return likeTest(e, lookup, zone);
      case "in":
        return inTest(e, lookup, zone);
      case "between":
        return betweenTest(e, lookup, zone);
      default:
        return comparisonTest(e, lookup, zone);
    }
  };
  return compile(expr);
}
