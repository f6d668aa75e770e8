// The initial sync reads rows as the text MySQL's protocol sends, in a session whose time_zone
// is '+00:00' (SNAPSHOT_SESSION_SQL). These read the numbers an encoder needs straight from
// those bytes, so a value written from its text costs no string and no object.
import { daysToMonth } from "./calendar.js";

/** The number written in ASCII digits bytes[from, to) (the server's text: digits only). */
export function digitsAt(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + ((bytes[i] as number) - 48);
  return n;
}

/** The number written in ASCII digits bytes[from, to), or -1 when one of them is not a digit. */
function checkedDigitsAt(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = (bytes[i] as number) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * Epoch seconds of a TIMESTAMP's UTC text `YYYY-MM-DD HH:MM:SS[.f…]` (1–6 fraction digits) at
 * bytes[start, start + size); 0 for the zero timestamp, as its value has. NaN for anything else
 * (another shape, years before 100, months out of range): its writer then reads the value,
 * which handles those as it always did.
 */
export function utcSecondsAt(bytes: Uint8Array, start: number, size: number): number {
  if (size !== 19 && (size < 21 || size > 26 || bytes[start + 19] !== 0x2e)) return Number.NaN;
  if (bytes[start + 4] !== 0x2d || bytes[start + 7] !== 0x2d || bytes[start + 10] !== 0x20 || bytes[start + 13] !== 0x3a || bytes[start + 16] !== 0x3a) return Number.NaN;
  const year = checkedDigitsAt(bytes, start, start + 4);
  const month = checkedDigitsAt(bytes, start + 5, start + 7);
  const day = checkedDigitsAt(bytes, start + 8, start + 10);
  const hour = checkedDigitsAt(bytes, start + 11, start + 13);
  const minute = checkedDigitsAt(bytes, start + 14, start + 16);
  const second = checkedDigitsAt(bytes, start + 17, start + 19);
  if ((year | month | day | hour | minute | second | checkedDigitsAt(bytes, start + 20, start + size)) < 0) return Number.NaN;
  if (year === 0 && month === 0 && day === 0) return 0;
  if (year < 100 || month < 1 || month > 12) return Number.NaN;
  return (daysToMonth(year, month) + day - 1) * 86_400 + hour * 3600 + minute * 60 + second;
}

/** Microseconds of the fraction that follows the seconds of wall-clock text (`.f…`, 1–6 digits); 0 without one. */
export function fractionMicrosAt(bytes: Uint8Array, start: number, size: number): number {
  return size > 20 ? digitsAt(bytes, start + 20, start + size) * 10 ** (26 - size) : 0;
}
