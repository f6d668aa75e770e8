// Filter literals compared with DATE, DATETIME, TIMESTAMP and TIME columns, read as MariaDB
// reads them when it compares (sql-common/my_time.c): a string or a number becomes a datetime
// (`'2024-1-1'`, `'2024/01/01 10.20'`, `'20240101'`, `20240101102030`, trailing text ignored),
// or a TIME (`'-1 10:00'`, `'100:00:00'`, `'103000'`, `-3000`). Text that is no datetime or
// time is the zero value, as on the server (with a warning there).

/** A datetime's parts; all zero for the zero datetime (and for anything unreadable). */
export interface DatetimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
}

const ZERO: DatetimeParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, micros: 0 };

/** Six digits of a fraction's text, cut (not rounded) as the server cuts a seventh. */
const fractionMicros = (digits: string | undefined): number => Number((digits ?? "").slice(0, 6).padEnd(6, "0"));

/** A year written with two digits: 70–99 are 1970–1999, 00–69 are 2000–2069. */
const fullYear = (digits: string): number => (digits.length === 2 ? Number(digits) + (Number(digits) < 70 ? 2000 : 1900) : Number(digits));

function checked(parts: DatetimeParts): DatetimeParts {
  const { year, month, day, hour, minute, second } = parts;
  return year <= 9999 && month <= 12 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 ? parts : ZERO;
}

/** Digits only (`YYYYMMDD`, `YYMMDDhhmmss`, a `T` allowed): fixed-width fields, a 4-digit year at 4, 8 or 14+ digits. */
function internalFormat(run: string, fraction: string | undefined): DatetimeParts {
  const digits = run.replace("T", "");
  const yearWidth = run.length === 4 || run.length === 8 || run.length >= 14 ? 4 : 2;
  const fields = [digits.slice(0, yearWidth)];
  for (let at = yearWidth; at < digits.length && fields.length < 6; at += 2) fields.push(digits.slice(at, at + 2));
  if (fields.length < 3) return ZERO;
  const [year = "", month, day, hour, minute, second] = fields;
  const micros = fields.length === 6 ? fractionMicros(fraction) : 0;
  return checked({ year: fullYear(year), month: Number(month), day: Number(day), hour: Number(hour ?? 0), minute: Number(minute ?? 0), second: Number(second ?? 0), micros });
}

const digitRun = /^\d[\dT]*/;
const punctuation = "[!-/:-@[-`{-~]";
const isPunctuation = new RegExp(`^${punctuation}$`);
const delimited = new RegExp(
  `^(\\d+)${punctuation}+(\\d+)${punctuation}+(\\d+)` +
    `(?:(?:[ \\t\\n\\r\\v\\f]+|T|${punctuation}+)(\\d+)(?:${punctuation}+(\\d+)(?:${punctuation}+(\\d+)(?:\\.(\\d*))?)?)?)?`,
);

/** Reads a string as MariaDB reads a datetime literal; the zero datetime when it is none. */
export function datetimeOfString(text: string): DatetimeParts {
  const start = text.replace(/^[ \t\n\r\v\f]+/, "");
  const run = digitRun.exec(start)?.[0] ?? "";
  const next = start.charAt(run.length);
  // Digits that no delimiter follows are the internal format (`20240101`, `20240101x`); a
  // fraction may follow 12 digits or more (`20240101102030.5`).
  if (run !== "" && (next === "" || (next === "." ? run.length >= 12 : !isPunctuation.test(next)))) {
    return internalFormat(run, next === "." ? /^\.(\d*)/.exec(start.slice(run.length))?.[1] : undefined);
  }
  const m = delimited.exec(start);
  if (!m) return ZERO;
  const [, year = "", month, day, hour, minute, second, fraction] = m;
  // A field runs to the next delimiter: `10000-01-01` or `2024-01-01 102030` is no datetime.
  if (year.length > 4 || [month, day, hour, minute, second].some((field) => field !== undefined && field.length > 2)) return ZERO;
  return checked({ year: fullYear(year), month: Number(month), day: Number(day), hour: Number(hour ?? 0), minute: Number(minute ?? 0), second: Number(second ?? 0), micros: fractionMicros(fraction) });
}

/** Reads a number as MariaDB's number_to_datetime: YYMMDD, YYYYMMDD, YYMMDDhhmmss or YYYYMMDDhhmmss; the zero datetime otherwise. */
export function datetimeOfNumber(text: string): DatetimeParts {
  const plain = /[eE]/.test(text) ? Number(text).toFixed(6) : text;
  const [whole = "", fraction] = plain.split(".");
  if (whole.startsWith("-")) return ZERO;
  let n = Number(whole);
  let withTime = true;
  if (n === 0) return ZERO;
  if (n < 101) return ZERO;
  if (n <= 691231) (n = (n + 20_000_000) * 1_000_000), (withTime = false);
  else if (n < 700101) return ZERO;
  else if (n <= 991231) (n = (n + 19_000_000) * 1_000_000), (withTime = false);
  else if (n < 10_000_101) return ZERO;
  else if (n <= 99_991_231) (n = n * 1_000_000), (withTime = false);
  else if (n < 101_000_000) return ZERO;
  else if (n <= 691_231_235_959) n += 20_000_000_000_000;
  else if (n < 700_101_000_000) return ZERO;
  else if (n <= 991_231_235_959) n += 19_000_000_000_000;
  else if (n < 10_000_101_000_000) return ZERO;
  const date = Math.floor(n / 1_000_000);
  const time = n - date * 1_000_000;
  return checked({
    year: Math.floor(date / 10_000), month: Math.floor(date / 100) % 100, day: date % 100,
    hour: Math.floor(time / 10_000), minute: Math.floor(time / 100) % 100, second: time % 100,
    micros: withTime ? fractionMicros(fraction) : 0,
  });
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:MM:SS.ffffff`: fixed width, so text order is datetime order (zero dates included). */
export function datetimeKey(parts: DatetimeParts): string {
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)} ${pad(parts.hour, 2)}:${pad(parts.minute, 2)}:${pad(parts.second, 2)}.${pad(parts.micros, 6)}`;
}

export const isZeroDate = (parts: DatetimeParts): boolean => parts.year === 0 && parts.month === 0 && parts.day === 0;

/**
 * Compares a DATE or DATETIME value's text (`YYYY-MM-DD[ HH:MM:SS[.f]]`, a prefix of a key)
 * with a literal's key, as the server compares them: a DATE is its midnight, missing fraction
 * digits are zeros. Per literal, the key's prefixes are cut once.
 */
export function datetimeTextComparer(key: string): (text: string) => number {
  const heads = Array.from({ length: key.length + 1 }, (_, n) => key.slice(0, n));
  const restIsZero = heads.map((_, n) => /^[ .:0-]*$/.test(key.slice(n)));
  return (text) => {
    const head = heads[text.length] ?? key;
    if (text !== head) return text < head ? -1 : 1;
    return restIsZero[text.length] === false ? -1 : 0;
  };
}

const MICROS_PER_SECOND = 1_000_000;
/** TIME's range is ±838:59:59.999999; the server clamps a literal beyond it. */
const TIME_LIMIT = (838 * 3600 + 59 * 60 + 59) * MICROS_PER_SECOND + 999_999;

function timeMicros(negative: boolean, hours: number, minutes: number, seconds: number, micros: number): number {
  if (minutes > 59 || seconds > 59) return 0;
  const magnitude = Math.min(((hours * 60 + minutes) * 60 + seconds) * MICROS_PER_SECOND + micros, TIME_LIMIT);
  return negative ? -magnitude : magnitude;
}

const dayTime = /^(\d+)[ \t]+(\d+)(?::(\d+)(?::(\d+))?)?(?:\.(\d*))?/;
const clockTime = /^(\d+):(\d+)(?::(\d+))?(?:\.(\d*))?/;
const packedTime = /^(\d+)(?:\.(\d*))?/;

/** Reads a string as MariaDB reads a TIME literal, in microseconds; 0 for text that is no time. */
export function timeOfString(text: string): number {
  const start = text.replace(/^[ \t\n\r\v\f]+/, "");
  const negative = start.startsWith("-");
  const body = negative ? start.slice(1) : start;
  if (/^\d{1,4}-\d{1,2}-\d{1,2}/.test(body)) {
    const parts = datetimeOfString(body);
    return timeMicros(negative, parts.hour, parts.minute, parts.second, parts.micros);
  }
  let m = dayTime.exec(body);
  if (m) return timeMicros(negative, Number(m[1]) * 24 + Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0), fractionMicros(m[5]));
  m = clockTime.exec(body);
  if (m) return timeMicros(negative, Number(m[1]), Number(m[2]), Number(m[3] ?? 0), fractionMicros(m[4]));
  m = packedTime.exec(body);
  return m ? packedTimeMicros(negative, m[1] as string, m[2]) : 0;
}

/** `[H…]HHMMSS[.f]`, as a number or a string of digits is read as a TIME. */
function packedTimeMicros(negative: boolean, whole: string, fraction: string | undefined): number {
  const n = Number(whole);
  return timeMicros(negative, Math.floor(n / 10_000), Math.floor(n / 100) % 100, n % 100, fractionMicros(fraction));
}

export function timeOfNumber(text: string): number {
  const plain = /[eE]/.test(text) ? Number(text).toFixed(6) : text;
  const negative = plain.startsWith("-");
  const [whole = "", fraction] = (negative ? plain.slice(1) : plain).split(".");
  return packedTimeMicros(negative, whole, fraction);
}

/** A TIME value's text (`[-]H…H:MM:SS[.f]`) in microseconds, read per row without a regular expression. */
export function timeValueMicros(text: string): number {
  const negative = text.charCodeAt(0) === 45;
  const firstColon = text.indexOf(":");
  const hours = Number(text.slice(negative ? 1 : 0, firstColon));
  const minutes = Number(text.slice(firstColon + 1, firstColon + 3));
  const seconds = Number(text.slice(firstColon + 4, firstColon + 6));
  const micros = text.length > firstColon + 7 ? Number(text.slice(firstColon + 7).padEnd(6, "0")) : 0;
  const magnitude = ((hours * 60 + minutes) * 60 + seconds) * MICROS_PER_SECOND + micros;
  return negative ? -magnitude : magnitude;
}
