// The digit-by-digit reading of TIMESTAMP text must give what the pattern reading it replaced
// gave, for well-formed text, zero dates, out-of-range fields and anything else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TimestampValue } from "../../src/runtime/change-event.js";
import { parseTimestampText, wallClockInstant, zoneClock, type ZoneClock } from "../../src/runtime/encode/time-zone.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 2000);

/** The former implementation, kept as the reference. */
function referenceParse(text: string, clock: ZoneClock): TimestampValue | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return null;
  const micros = m[7] ? Number(m[7].padEnd(6, "0")) : 0;
  if (m[1] === "0000" && m[2] === "00" && m[3] === "00") return { kind: "timestamp", epochSeconds: 0, micros };
  const local = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000;
  return { kind: "timestamp", epochSeconds: wallClockInstant(local, clock), micros };
}

const zones = ["UTC", "+00:00", "+08:00", "-03:30", "Asia/Shanghai", "America/New_York", "Europe/London"];
const clocks = new Map(zones.map((zone) => [zone, zoneClock(zone)]));
const zoneArb = fc.constantFrom(...zones);

const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, "0"));
const field = fc.oneof(digits(2), fc.constantFrom("00", "01", "12", "13", "23", "24", "28", "29", "30", "31", "59", "60", "99"));
const year = fc.oneof(digits(4), fc.constantFrom("0000", "0001", "0069", "0099", "0100", "1900", "1969", "1970", "2000", "2038", "2100", "9999"));
const fraction = fc.oneof(fc.constant(""), fc.integer({ min: 1, max: 7 }).chain((n) => digits(n)).map((f) => `.${f}`), fc.constantFrom(".", ".000000", ".999999", ".5"));
const separator = fc.constantFrom(" ", " ", "T", "t", "_");

/** Datetime-shaped text: every field any two or four digits, fractions of 0–7 digits. */
const shaped = fc
  .tuple(year, field, field, separator, field, field, field, fraction)
  .map(([y, mo, d, sep, h, mi, s, f]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${f}`);

/** Shaped text with one character replaced, inserted or removed. */
const mutated = fc.tuple(shaped, fc.nat(), fc.constantFrom("replace", "insert", "remove"), fc.constantFrom("0", "9", "/", ":", "-", ".", " ", "a", "٣", "\n", "")).map(([text, at, how, c]) => {
  const i = at % (text.length + 1);
  if (how === "insert") return text.slice(0, i) + c + text.slice(i);
  if (how === "remove") return text.slice(0, i) + text.slice(i + 1);
  return text.slice(0, i) + c + text.slice(i + 1);
});

const zeroDates = fc.tuple(field, field, field, fraction).map(([h, mi, s, f]) => `0000-00-00 ${h}:${mi}:${s}${f}`);

const anyText = fc.oneof(shaped, mutated, zeroDates, fc.string({ maxLength: 30 }), fc.string({ unit: "binary", maxLength: 30 }));

describe("parseTimestampText", () => {
  it("reads any text as the pattern-based reading did", () => {
    fc.assert(
      fc.property(anyText, zoneArb, (text, zone) => {
        const clock = clocks.get(zone) as ZoneClock;
        expect(parseTimestampText(text, clock)).toEqual(referenceParse(text, clock));
      }),
      { numRuns: runs },
    );
  });

  it("reads the shapes a SELECT returns, fractions of 1 to 6 digits, and zero dates", () => {
    const utc = zoneClock("UTC");
    expect(parseTimestampText("2038-01-19 03:14:07", utc)).toEqual({ kind: "timestamp", epochSeconds: 2147483647, micros: 0 });
    expect(parseTimestampText("2038-01-19 03:14:07.9", utc)).toEqual({ kind: "timestamp", epochSeconds: 2147483647, micros: 900000 });
    expect(parseTimestampText("2038-01-19T03:14:07.000123", utc)).toEqual({ kind: "timestamp", epochSeconds: 2147483647, micros: 123 });
    expect(parseTimestampText("1970-01-01 00:00:00", utc)).toEqual({ kind: "timestamp", epochSeconds: 0, micros: 0 });
    expect(parseTimestampText("0000-00-00 00:00:00", utc)).toEqual({ kind: "timestamp", epochSeconds: 0, micros: 0 });
    expect(parseTimestampText("0000-00-00 00:00:00.12", utc)).toEqual({ kind: "timestamp", epochSeconds: 0, micros: 120000 });
    expect(parseTimestampText("2038-01-19 03:14:07.1234567", utc)).toBeNull();
    expect(parseTimestampText("2038-01-19 03:14:07.", utc)).toBeNull();
    expect(parseTimestampText("2038-1-19 03:14:07", utc)).toBeNull();
  });

  it("reads wall-clock text around DST changes as MySQL converts it: the earlier instant in a fold, the gap's end in a gap", () => {
    const berlin = zoneClock("Europe/Berlin");
    // 02:30 happens twice on 2024-10-27 (00:30Z in CEST, then 01:30Z in CET): the earlier.
    expect(parseTimestampText("2024-10-27 02:30:00", berlin)).toEqual({ kind: "timestamp", epochSeconds: Date.UTC(2024, 9, 27, 0, 30) / 1000, micros: 0 });
    expect(parseTimestampText("2024-10-27 02:30:00.5", berlin)?.epochSeconds).toBe(Date.UTC(2024, 9, 27, 0, 30) / 1000);
    // 02:30 never happens on 2024-03-31 (02:00 CET is 03:00 CEST, 01:00Z): the instant the gap ends.
    expect(parseTimestampText("2024-03-31 02:30:00", berlin)?.epochSeconds).toBe(Date.UTC(2024, 2, 31, 1, 0) / 1000);
  });

  it("matches the reference on every 1 to 6 digit fraction of a fixed instant in several zones", () => {
    for (const zone of zones) {
      const clock = clocks.get(zone) as ZoneClock;
      for (let n = 1; n <= 6; n++) {
        for (const f of ["0", "1", "5", "9"]) {
          const text = `2024-03-10 02:30:00.${f.repeat(n)}`;
          expect(parseTimestampText(text, clock)).toEqual(referenceParse(text, clock));
        }
      }
    }
  });
});
