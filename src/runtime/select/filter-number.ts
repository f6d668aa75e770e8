// Numbers in row filters, as MariaDB reads and writes them: exact comparison of decimal text,
// the number at the start of a string, and the text a FLOAT or DOUBLE becomes for LIKE.

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

export function compareNumbers(a: number, b: number): number | null {
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * MySQL's string-to-number conversion: the longest numeric prefix, else 0. Only ASCII
 * whitespace (space, tab, LF, CR, VT, FF) may precede it: a no-break space makes the string 0.
 */
const numericPrefix = /^[ \t\n\r\v\f]*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/;

export function stringToNumber(text: string): number {
  const match = numericPrefix.exec(text);
  return match ? Number(match[0]) : 0;
}

/** The numeric prefix's parts: sign, integer and fraction digits, power of ten; null when it has no digit. */
export interface NumericPrefix {
  negative: boolean;
  digits: string;
  /** value = 0.digits × 10^point */
  point: number;
}

const numericPrefixParts = /^[ \t\n\r\v\f]*([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?/;

export function numericPrefixOf(text: string): NumericPrefix | null {
  const [, sign = "", whole = "", fraction = "", exponent] = numericPrefixParts.exec(text) ?? [];
  if (whole === "" && fraction === "") return null;
  return { negative: sign === "-", digits: whole + fraction, point: whole.length + (exponent === undefined ? 0 : Number(exponent)) };
}

/**
 * The exact value of a string's numeric prefix as plain decimal text (`'9e2abc'` is `900`), as
 * the server reads a string compared with an integer or DECIMAL column; null when its exponent
 * is too large to write out (then it compares as a double).
 */
export function stringToDecimalText(text: string): string | null {
  const prefix = numericPrefixOf(text);
  if (prefix === null || !/[1-9]/.test(prefix.digits)) return "0";
  if (Math.abs(prefix.point) > 400) return null;
  const { digits, point } = prefix;
  const sign = prefix.negative ? "-" : "";
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const TWO_63 = 2n ** 63n;
const TWO_64 = 2n ** 64n;

/**
 * A double literal against a BIGINT: the server stores it in the column and, when it reads back
 * equal, compares the integer exactly (`9007199254740993e0` is 9007199254740992, the double it
 * is); the double 2^63 becomes 2^63 - 1, which reads back as 2^63. Null when the server compares
 * doubles instead: a fraction, or beyond the column's range.
 */
export function bigintOfDouble(value: number, unsigned: boolean): string | null {
  if (!Number.isInteger(value)) return null;
  const n = BigInt(value);
  if (unsigned) return n >= 0n && n < TWO_64 ? n.toString() : null;
  if (n < -TWO_63 || n > TWO_63) return null;
  return (n === TWO_63 ? n - 1n : n).toString();
}

/** The shortest digits of a double (no leading or trailing zeros) and where the point goes: value = 0.digits × 10^point. */
function shortestDigits(value: number): { digits: string; point: number } {
  const [mantissa = "0", exponent = "0"] = Math.abs(value).toExponential().split("e");
  return { digits: mantissa.replace(".", ""), point: Number(exponent) + 1 };
}

/** `digits` with the point placed as MariaDB's my_gcvt does when the field is wide enough. */
function gcvtText(negative: boolean, digits: string, point: number): string {
  if (digits === "0") return "0";
  const sign = negative ? "-" : "";
  const length = digits.length;
  // DBL_DIG (15) bounds the plain form: beyond it an exponent is shorter or no less exact.
  if (point >= -14 && (point <= 15 || length > point)) {
    if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
    if (point < length) return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
    return `${sign}${digits}${"0".repeat(point - length)}`;
  }
  const exponent = point - 1;
  return `${sign}${digits[0]}${length > 1 ? `.${digits.slice(1)}` : ""}e${exponent}`;
}

/** A DOUBLE as MariaDB writes it when it becomes a string (LIKE, CONCAT): `1e21`, `0.0000001`, `1.2345678901234568e20`. */
export function serverDoubleText(value: number): string {
  const { digits, point } = shortestDigits(value);
  return gcvtText(value < 0, digits, point);
}

/** The significant digits of `value` rounded to `count`, an exact half to even as dtoa rounds (toExponential rounds it up). */
function roundedDigits(value: number, count: number): { digits: string; point: number } {
  const magnitude = Math.abs(value);
  const [rounded = "0", roundedExponent = "0"] = magnitude.toExponential(count - 1).split("e");
  const [exact = "0", exactExponent = "0"] = magnitude.toExponential(99).split("e");
  const exactDigits = exact.replace(".", "");
  const evenHalf = /^50*$/.test(exactDigits.slice(count)) && Number(exactDigits[count - 1]) % 2 === 0;
  const digits = evenHalf ? exactDigits.slice(0, count) : rounded.replace(".", "");
  return { digits: digits.replace(/0+$/, "") || "0", point: Number(evenHalf ? exactExponent : roundedExponent) + 1 };
}

/** A FLOAT as MariaDB writes it: 6 significant digits (FLT_DIG), then placed as a DOUBLE is. */
export function serverFloatText(value: number): string {
  if (value === 0) return "0";
  const { digits, point } = roundedDigits(value, 6);
  return gcvtText(value < 0, digits, point);
}
