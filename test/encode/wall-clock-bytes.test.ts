// TIMESTAMP text read from the server's bytes and wall-clock digits written without a Date: both
// against Date, over the whole range of years 0000–9999.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WALL_CLOCK_RANGE, writeWallClock } from "../../src/runtime/encode/calendar.js";
import { fractionMicrosAt, utcSecondsAt } from "../../src/runtime/encode/server-text.js";
import { SlabWriter } from "../../src/runtime/encode/slab-writer.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 2000);

/** `YYYY-MM-DD HH:MM:SS` as Date writes it (UTC). */
const dateText = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");

function written(seconds: number): string {
  const w = new SlabWriter();
  writeWallClock(w, seconds);
  return w.take().toString("latin1");
}

const utcSeconds = (text: string) => {
  const bytes = Buffer.from(`xx${text}`, "latin1");
  return utcSecondsAt(bytes, 2, text.length);
};

describe("writeWallClock", () => {
  it("writes what Date writes, for every second of years 0000-9999", () => {
    const seconds = fc.integer({ min: WALL_CLOCK_RANGE.first, max: WALL_CLOCK_RANGE.last });
    fc.assert(fc.property(seconds, (s) => {
      expect(written(s)).toBe(dateText(s));
    }), { numRuns: runs });
  });

  it("gets the edges of days, leap days and the range right", () => {
    for (const text of ["0000-01-01 00:00:00", "1969-12-31 23:59:59", "1970-01-01 00:00:00", "2000-02-29 12:00:00", "2100-02-28 23:59:59", "2100-03-01 00:00:00", "2038-01-19 03:14:07", "9999-12-31 23:59:59"]) {
      expect(written(Date.parse(`${text.replace(" ", "T")}Z`) / 1000)).toBe(text);
    }
    expect(written(WALL_CLOCK_RANGE.first)).toBe("0000-01-01 00:00:00");
    expect(written(WALL_CLOCK_RANGE.last)).toBe("9999-12-31 23:59:59");
  });
});

describe("utcSecondsAt", () => {
  it("reads back what Date writes, from year 100 on", () => {
    const seconds = fc.integer({ min: Date.UTC(100, 0, 1) / 1000, max: WALL_CLOCK_RANGE.last });
    fc.assert(fc.property(seconds, (s) => {
      expect(utcSeconds(dateText(s))).toBe(s);
    }), { numRuns: runs });
  });

  it("reads the zero timestamp as 0, with or without a fraction", () => {
    expect(utcSeconds("0000-00-00 00:00:00")).toBe(0);
    expect(utcSeconds("0000-00-00 00:00:00.000000")).toBe(0);
  });

  it("leaves any other text to the value's reader (NaN)", () => {
    for (const text of ["2024-01-01T00:00:00", "2024-01-01 00:00", "2024-1-01 00:00:00", "2024-01-01 00:00:00.", "2024-01-01 00:00:00.1234567", "0099-01-01 00:00:00", "2024-13-01 00:00:00", "2024-00-10 00:00:00", "2024-01-01 0a:00:00", ""]) {
      expect(utcSeconds(text), text).toBeNaN();
    }
  });

  it("reads fractions of one to six digits as microseconds", () => {
    const fraction = (text: string) => fractionMicrosAt(Buffer.from(text), 0, text.length);
    expect(fraction("2024-01-01 00:00:00")).toBe(0);
    expect(fraction("2024-01-01 00:00:00.5")).toBe(500_000);
    expect(fraction("2024-01-01 00:00:00.012")).toBe(12_000);
    expect(fraction("2024-01-01 00:00:00.000001")).toBe(1);
  });
});
