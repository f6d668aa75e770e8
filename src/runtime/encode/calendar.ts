// Proleptic Gregorian calendar arithmetic on whole days since 1970-01-01, shared by the readers
// of wall-clock text and the writers of it, so neither needs a Date per value.

/** Days from 1970-01-01 to the first of a month (month 1–12). */
export function daysToMonth(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5);
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/** Seconds in the years 0000–9999, the range `writeWallClock` writes. */
export const WALL_CLOCK_RANGE = { first: daysToMonth(0, 1) * 86_400, last: daysToMonth(10_000, 1) * 86_400 - 1 } as const;

/** What writes the digits: two at a time. */
export interface DigitSink {
  twoDigits(n: number): void;
  byte(b: number): void;
}

/**
 * `YYYY-MM-DD HH:MM:SS` of `seconds` since the epoch read as UTC, for whole seconds within
 * WALL_CLOCK_RANGE. The date is the inverse of daysToMonth (eras of 400 years, March-based years).
 */
export function writeWallClock(w: DigitSink, seconds: number): void {
  const days = Math.floor(seconds / 86_400);
  const secondOfDay = seconds - days * 86_400;
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay - hour * 3600) / 60);
  w.twoDigits(Math.floor(year / 100));
  w.twoDigits(year % 100);
  w.byte(0x2d);
  w.twoDigits(month);
  w.byte(0x2d);
  w.twoDigits(day);
  w.byte(0x20);
  w.twoDigits(hour);
  w.byte(0x3a);
  w.twoDigits(minute);
  w.byte(0x3a);
  w.twoDigits(secondOfDay % 60);
}
