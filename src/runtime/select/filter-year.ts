// YEAR against a literal, as MariaDB compares them: the server first stores the literal in a
// YEAR field (convert_const_to_int), so 1–69 reads as 2001–2069 and 70–99 as 1970–1999, and
// compares years. Reading the literal:
// - an integer as it is, 0 being 0000;
// - a decimal rounded half away from zero; a negative one fails;
// - a double (exponent) truncated; a negative one, or one above 2155, fails;
// - a string by its numeric prefix rounded half up (strntoull10rnd): a zero written in exactly
//   four bytes ('0000', ' 000') is 0000, any other ('0', '00', '0.0') 2000; no digits fails.
// A value below 0, from 100 to 1900, or above 2155 fails as well. When the store fails the
// server compares the column's number (0 for 0000) with the literal as it is.
import type { FilterLiteral } from "../../generated/plan.js";
import { numericPrefixOf } from "./filter-number.js";

/** The year a YEAR field holds after storing `n`, or null when the store fails. */
function storedYear(n: number, zeroIsZeroYear: boolean): number | null {
  if (!Number.isFinite(n) || n < 0 || (n >= 100 && n <= 1900) || n > 2155) return null;
  if (n === 0 && zeroIsZeroYear) return 0;
  return n < 70 ? n + 2000 : n < 100 ? n + 1900 : n;
}

/** A plain decimal's magnitude rounded half away from zero; Infinity when it has too many digits to matter. */
function roundedMagnitude(written: string, writtenPoint: number): number {
  const digits = written.replace(/^0+/, "");
  const point = writtenPoint - (written.length - digits.length);
  if (point > 20) return /[1-9]/.test(digits) ? Number.POSITIVE_INFINITY : 0;
  const whole = point > 0 ? Number(digits.slice(0, point) || "0") : 0;
  const firstDropped = point >= 0 ? digits[point] ?? "0" : "0";
  return whole + (firstDropped >= "5" ? 1 : 0);
}

function yearOfNumber(text: string): number | null {
  if (/[eE]/.test(text)) {
    const value = Number(text);
    return value < 0 || value > 2155 ? null : storedYear(Math.trunc(value) || 0, true);
  }
  const prefix = numericPrefixOf(text);
  if (prefix === null) return null;
  const magnitude = roundedMagnitude(prefix.digits, prefix.point);
  const negative = prefix.negative && /[1-9]/.test(prefix.digits);
  return negative ? null : storedYear(magnitude, true);
}

function yearOfString(text: string): number | null {
  const prefix = numericPrefixOf(text);
  if (prefix === null) return null;
  const magnitude = roundedMagnitude(prefix.digits, prefix.point);
  if (prefix.negative && magnitude !== 0) return null;
  return storedYear(magnitude, Buffer.byteLength(text, "utf8") === 4);
}

/** The year the server compares a YEAR column with, or null when it compares the literal as it is. */
export function yearOfLiteral(literal: Exclude<FilterLiteral, null>): number | null {
  return "number" in literal ? yearOfNumber(literal.number) : yearOfString(literal.string);
}
