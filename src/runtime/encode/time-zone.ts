// Renders TIMESTAMP instants as wall-clock text in the pipeline's source time zone (canal shows
// TIMESTAMP in its JVM zone; we use the configured zone so output does not depend on the host),
// and reads such text back. Zones are fixed offsets (`+08:00`), `UTC`/`Z`, or IANA names.
import type { TimestampValue } from "../change-event.js";
import { daysToMonth } from "./calendar.js";

export interface ZoneClock {
  /** Seconds east of UTC in force at the given instant. */
  offsetAt(epochSeconds: number): number;
  /** The offset, for a zone that has only one (a fixed offset, UTC). */
  readonly fixedOffset?: number;
}

const offsetPattern = /^([+-])(\d{2}):(\d{2})$/;

/** An offset east of UTC as `zoneClock` reads it: `+08:00`, `-03:30` (seconds dropped). */
export function offsetText(seconds: number): string {
  const abs = Math.abs(seconds);
  return `${seconds < 0 ? "-" : "+"}${String(Math.floor(abs / 3600)).padStart(2, "0")}:${String(Math.floor((abs % 3600) / 60)).padStart(2, "0")}`;
}

export function zoneClock(zone: string): ZoneClock {
  const fixed = offsetPattern.exec(zone);
  if (fixed) {
    const offset = (fixed[1] === "-" ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60);
    return { offsetAt: () => offset, fixedOffset: offset };
  }
  if (zone === "UTC" || zone === "Z" || zone === "SYSTEM" || zone === "") return { offsetAt: () => 0, fixedOffset: 0 };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  } catch {
    throw new Error(`unknown time zone "${zone}": use an offset like +08:00 or an IANA name like Asia/Shanghai`);
  }
  const exact = (epochSeconds: number): number => {
    const name = format.formatToParts(new Date(epochSeconds * 1000)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
    // Historic offsets may have seconds (Africa/Monrovia until 1972: GMT-00:44:30).
    const m = /GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(name);
    return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) : 0;
  };
  // Offsets change rarely; remember them per hour when the hour has a single offset.
  const hours = new Map<number, number>();
  return {
    offsetAt(epochSeconds) {
      const hour = Math.floor(epochSeconds / 3600);
      let offset = hours.get(hour);
      if (offset === undefined) {
        const start = exact(hour * 3600);
        if (start !== exact(hour * 3600 + 3599)) return exact(epochSeconds);
        offset = start;
        if (hours.size > 10_000) hours.clear();
        hours.set(hour, offset);
      }
      return offset;
    },
  };
}

/** A day either side is enough to see both offsets of any transition a wall-clock time can fall near. */
const DAY = 86_400;

/**
 * The instant (epoch seconds) at which the zone's clocks show `local` (seconds since the epoch
 * of a wall-clock time read as if UTC), converted the way MySQL converts a DATETIME to a
 * TIMESTAMP (tztime.cc, TIME_to_gmt_sec): with the offset in force at that wall-clock time;
 * in a fold (clocks set back) the earlier of the two instants; in a gap (clocks set forward,
 * a time that never happened) the instant the gap begins.
 */
export function wallClockInstant(local: number, clock: ZoneClock): number {
  if (clock.fixedOffset !== undefined) return local - clock.fixedOffset;
  const offsets = [...new Set([clock.offsetAt(local - DAY), clock.offsetAt(local), clock.offsetAt(local + DAY)])];
  const valid = offsets.map((offset) => local - offset).filter((instant) => instant + clock.offsetAt(instant) === local);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the offset changes between the instants the larger and the smaller offset give.
  let before = local - Math.max(...offsets);
  let after = local - Math.min(...offsets);
  const old = clock.offsetAt(before);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (clock.offsetAt(middle) === old) before = middle;
    else after = middle;
  }
  return after;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function fractionText(micros: number, fsp: number): string {
  return fsp > 0 ? `.${String(micros).padStart(6, "0").slice(0, fsp)}` : "";
}

function dateText(d: Date): string {
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Rows of a batch mostly share a day: the `YYYY-MM-DD` of the last day rendered is kept. */
let lastDay = { day: Number.NaN, text: "" };

function dayText(day: number): string {
  if (lastDay.day !== day) lastDay = { day, text: dateText(new Date(day * 86_400_000)) };
  return lastDay.text;
}

/** Seconds within which Date is exact (its range is ±8.64e15 ms). */
const DATE_RANGE_SECONDS = 8.64e12;

/** `YYYY-MM-DD HH:MM:SS[.f]` in the zone; the zero timestamp stays `0000-00-00 00:00:00`. */
export function timestampText(value: TimestampValue, fsp: number, clock: ZoneClock): string {
  if (value.epochSeconds === 0 && value.micros === 0) return `0000-00-00 00:00:00${fractionText(0, fsp)}`;
  const local = value.epochSeconds + clock.offsetAt(value.epochSeconds);
  if (!Number.isInteger(local) || Math.abs(local) > DATE_RANGE_SECONDS) {
    const d = new Date(local * 1000);
    return `${dateText(d)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${fractionText(value.micros, fsp)}`;
  }
  // Whole seconds: the time of day is plain arithmetic (Date has no leap seconds either).
  const day = Math.floor(local / 86_400);
  const second = local - day * 86_400;
  const hour = Math.floor(second / 3600);
  const minute = Math.floor((second - hour * 3600) / 60);
  return `${dayText(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(second % 60)}${fractionText(value.micros, fsp)}`;
}

const wallClock = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Reads wall-clock text in the zone back into an instant; null when the text is not a datetime. */
export function parseTimestampText(text: string, clock: ZoneClock): TimestampValue | null {
  return parseExactShape(text, clock) ?? parseWithPattern(text, clock);
}

/** The instant of wall-clock text, as MySQL converts it (wallClockInstant: the earlier one in a fold, the gap's start in a gap). */
function instant(local: number, micros: number, clock: ZoneClock): TimestampValue {
  return { kind: "timestamp", epochSeconds: wallClockInstant(local, clock), micros };
}

function parseWithPattern(text: string, clock: ZoneClock): TimestampValue | null {
  const m = wallClock.exec(text);
  if (!m) return null;
  const micros = m[7] ? Number(m[7].padEnd(6, "0")) : 0;
  if (m[1] === "0000" && m[2] === "00" && m[3] === "00") return { kind: "timestamp", epochSeconds: 0, micros };
  return instant(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000, micros, clock);
}

/** Value of the decimal digits text[from, to), or -1 when one is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Microseconds of one unit of a fraction of 1–6 digits, at index digits - 1. */
const microScale = [100_000, 10_000, 1000, 100, 10, 1];

/**
 * The SELECT path reads every TIMESTAMP as `YYYY-MM-DD HH:MM:SS[.f]`: read those digit by digit
 * (the pattern costs more than the rest of the row). Null for any other text, and for the
 * years and months Date.UTC treats specially (0–99, months out of 1–12), which the pattern
 * path then handles exactly as before.
 */
function parseExactShape(text: string, clock: ZoneClock): TimestampValue | null {
  const length = text.length;
  if (length !== 19 && (length < 21 || length > 26 || text.charCodeAt(19) !== 46)) return null;
  const separator = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (separator !== 32 && separator !== 84) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  const fraction = length === 19 ? 0 : digitsAt(text, 20, length);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || fraction < 0) return null;
  const micros = length === 19 ? 0 : fraction * (microScale[length - 21] as number);
  if (year === 0 && month === 0 && day === 0) return { kind: "timestamp", epochSeconds: 0, micros };
  if (year < 100 || month < 1 || month > 12) return null;
  return instant((daysToMonth(year, month) + day - 1) * 86_400 + hour * 3600 + minute * 60 + second, micros, clock);
}

