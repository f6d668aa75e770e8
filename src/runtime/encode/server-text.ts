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

function isDigits(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = bytes[i] as number;
    if (b < 0x30 || b > 0x39) return false;
  }
  return true;
}

/** Whether bytes[start, start + size) have the shape `YYYY-MM-DD HH:MM:SS[.f…]` with 1–6 fraction digits. */
function wallClockShape(bytes: Uint8Array, start: number, size: number): boolean {
  if (size !== 19 && (size < 21 || size > 26 || bytes[start + 19] !== 0x2e)) return false;
  if (bytes[start + 4] !== 0x2d || bytes[start + 7] !== 0x2d || bytes[start + 10] !== 0x20 || bytes[start + 13] !== 0x3a || bytes[start + 16] !== 0x3a) return false;
  return isDigits(bytes, start, start + 4) && isDigits(bytes, start + 5, start + 7) && isDigits(bytes, start + 8, start + 10) &&
    isDigits(bytes, start + 11, start + 13) && isDigits(bytes, start + 14, start + 16) && isDigits(bytes, start + 17, start + 19) &&
    isDigits(bytes, start + 20, start + size);
}

/**
 * Epoch seconds of a TIMESTAMP's UTC text at bytes[start, start + size); 0 for the zero
 * timestamp, as its value has. NaN for anything else (another shape, years before 100, months
 * out of range): its writer then reads the value, which handles those as it always did.
 */
export function utcSecondsAt(bytes: Uint8Array, start: number, size: number): number {
  if (!wallClockShape(bytes, start, size)) return Number.NaN;
  const year = digitsAt(bytes, start, start + 4);
  const month = digitsAt(bytes, start + 5, start + 7);
  const day = digitsAt(bytes, start + 8, start + 10);
  if (year === 0 && month === 0 && day === 0) return 0;
  if (year < 100 || month < 1 || month > 12) return Number.NaN;
  const time = digitsAt(bytes, start + 11, start + 13) * 3600 + digitsAt(bytes, start + 14, start + 16) * 60 + digitsAt(bytes, start + 17, start + 19);
  return (daysToMonth(year, month) + day - 1) * 86_400 + time;
}

/** Microseconds of the fraction that follows the seconds of wall-clock text (`.f…`, 1–6 digits); 0 without one. */
export function fractionMicrosAt(bytes: Uint8Array, start: number, size: number): number {
  return size > 20 ? digitsAt(bytes, start + 20, start + size) * 10 ** (26 - size) : 0;
}
