// A wall-clock time in a zone names the instant MySQL would convert it to: at the offset of its
// own date, the earlier instant in a fold, the gap's start in a gap.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wallClockInstant, zoneClock } from "../../src/runtime/encode/time-zone.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 500);
const local = (iso: string) => Date.parse(`${iso}Z`) / 1000;
const utc = (iso: string) => Date.parse(iso) / 1000;

describe("wallClockInstant", () => {
  const berlin = zoneClock("Europe/Berlin");
  const newYork = zoneClock("America/New_York");

  it("uses the offset in force on the wall-clock date, not today's", () => {
    expect(wallClockInstant(local("2024-07-01T12:00:00"), berlin)).toBe(utc("2024-07-01T10:00:00Z"));
    expect(wallClockInstant(local("2024-12-01T12:00:00"), berlin)).toBe(utc("2024-12-01T11:00:00Z"));
    expect(wallClockInstant(local("2024-07-01T12:00:00"), newYork)).toBe(utc("2024-07-01T16:00:00Z"));
    expect(wallClockInstant(local("2024-07-01T12:00:00"), zoneClock("+08:00"))).toBe(utc("2024-07-01T04:00:00Z"));
  });

  it("takes the start of a gap for a time that never happened", () => {
    expect(wallClockInstant(local("2024-03-31T02:00:00"), berlin)).toBe(utc("2024-03-31T01:00:00Z"));
    expect(wallClockInstant(local("2024-03-31T02:59:59"), berlin)).toBe(utc("2024-03-31T01:00:00Z"));
    expect(wallClockInstant(local("2024-03-31T03:00:00"), berlin)).toBe(utc("2024-03-31T01:00:00Z"));
    expect(wallClockInstant(local("2024-03-31T01:59:59"), berlin)).toBe(utc("2024-03-31T00:59:59Z"));
    expect(wallClockInstant(local("2024-03-10T02:30:00"), newYork)).toBe(utc("2024-03-10T07:00:00Z"));
  });

  it("takes the earlier instant for a time that happened twice", () => {
    expect(wallClockInstant(local("2024-10-27T02:00:00"), berlin)).toBe(utc("2024-10-27T00:00:00Z"));
    expect(wallClockInstant(local("2024-10-27T02:59:59"), berlin)).toBe(utc("2024-10-27T00:59:59Z"));
    expect(wallClockInstant(local("2024-10-27T03:00:00"), berlin)).toBe(utc("2024-10-27T02:00:00Z"));
    expect(wallClockInstant(local("2024-11-03T01:30:00"), newYork)).toBe(utc("2024-11-03T05:30:00Z"));
  });

  it("gives back an instant whose wall-clock time it was, never a later one", () => {
    const zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Shanghai", "UTC"].map(zoneClock);
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 2_147_483_647 }), (clock, instant) => {
        const wall = instant + clock.offsetAt(instant);
        const found = wallClockInstant(wall, clock);
        expect(found + clock.offsetAt(found)).toBe(wall);
        expect(found).toBeLessThanOrEqual(instant);
      }),
      { numRuns: runs },
    );
  });
});

describe("zoneClock", () => {
  it("keeps the seconds of a historic offset (Africa/Monrovia until 1972 was -00:44:30)", () => {
    expect(zoneClock("Africa/Monrovia").offsetAt(Date.UTC(1971, 5, 1) / 1000)).toBe(-(44 * 60 + 30));
    expect(zoneClock("Africa/Monrovia").offsetAt(Date.UTC(1973, 5, 1) / 1000)).toBe(0);
  });
});
