// The source's SYSTEM time zone: the server's named zone or offset as it says, and for its own
// system zone (named only by an abbreviation) the IANA zone whose offsets match the server's from
// 1970 to 2037, so a TIMESTAMP from summer is rendered at the summer offset.
import { describe, expect, it } from "vitest";
import type { Connection } from "mysql2/promise";
import { zoneClock } from "../../src/runtime/encode/time-zone.js";
import type { Logger } from "../../src/runtime/logger.js";
import { resolveSourceTimeZone } from "../../src/runtime/source/server-time-zone.js";

/** A server in `zone` (offsets from tz rules) whose time_zone variable says `variable`. */
function server(zone: string, variable: string, system: string): Connection {
  const clock = zoneClock(zone);
  return {
    query: async (sql: string) => {
      if (sql.includes("@@session.time_zone")) return [[{ zone: variable, system }]];
      const row: Record<string, number> = {};
      for (const m of sql.matchAll(/FROM_UNIXTIME\((\d+)\)\) - \d+ AS (o\d+)/g)) row[m[2] as string] = clock.offsetAt(Number(m[1]));
      return [[row]];
    },
  } as unknown as Connection;
}

const summer = Date.UTC(2024, 6, 1) / 1000;
const winter = Date.UTC(2024, 0, 1) / 1000;

describe("resolveSourceTimeZone", () => {
  it("follows daylight saving time for a server in its system zone, named only CET", async () => {
    const messages: string[] = [];
    const log = { info: (_: unknown, message: string) => void messages.push(message), warn: () => undefined } as unknown as Pick<Logger, "info" | "warn">;
    const zone = await resolveSourceTimeZone(server("Europe/Berlin", "SYSTEM", "CET"), "SYSTEM", log);
    expect(zoneClock(zone).offsetAt(summer)).toBe(7200);
    expect(zoneClock(zone).offsetAt(winter)).toBe(3600);
    expect(zoneClock(zone).offsetAt(Date.UTC(1979, 6, 1) / 1000)).toBe(3600);
    expect(messages[0]).toMatch(/offsets from 1970 to 2037 are those of this zone/);
  });

  it("takes a zone without offset changes as its offset, and the server's named zone as it is", async () => {
    expect(await resolveSourceTimeZone(server("UTC", "SYSTEM", "UTC"), "SYSTEM")).toBe("+00:00");
    expect(await resolveSourceTimeZone(server("Asia/Kolkata", "+05:30", ""), "SYSTEM")).toBe("+05:30");
    expect(await resolveSourceTimeZone(server("America/New_York", "America/New_York", "EST"), "SYSTEM")).toBe("America/New_York");
  });

  it("keeps a zone the spec names", async () => {
    expect(await resolveSourceTimeZone(server("Europe/Berlin", "SYSTEM", "CET"), "Asia/Shanghai")).toBe("Asia/Shanghai");
  });
});
