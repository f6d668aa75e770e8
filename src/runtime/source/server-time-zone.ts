// The source's time zone as the encoders and filters need it: the plan's zone, or for SYSTEM the
// zone the server renders TIMESTAMPs in. That is its time_zone when it names a zone or an offset.
// When it is the server's own system zone, which MariaDB and MySQL name only by an abbreviation
// (`CET`, `EST`), it is the IANA zone whose offsets match the server's at every probe instant from
// 1970 to 2037, so that daylight saving time is followed; a fixed offset when the server's never
// changes. Today's offset alone put every summer TIMESTAMP an hour off for a server in Berlin.
import type mysql from "mysql2/promise";
import { offsetText, zoneClock } from "../encode/time-zone.js";
import type { Logger } from "../logger.js";

/** The 15th of every month, 1970–2037: zones whose DST rules differ differ on some of them. */
const probes: number[] = [];
for (let year = 1970; year <= 2037; year++) for (let month = 0; month < 12; month++) probes.push(Date.UTC(year, month, 15, 12) / 1000);

/** The server's offsets at `instants`, in the connection's time zone (the server's). */
async function serverOffsets(conn: mysql.Connection, instants: readonly number[]): Promise<number[]> {
  const terms = instants.map((t, i) => `TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', FROM_UNIXTIME(${t})) - ${t} AS o${i}`);
  const [rows] = await conn.query(`SELECT ${terms.join(", ")}`);
  const row = (rows as Record<string, number | string>[])[0] ?? {};
  return instants.map((_, i) => Number(row[`o${i}`]));
}

/** IANA zones with the same offsets at every probe instant; `preferred` first when it is one. */
function matchingZones(offsets: readonly number[], preferred: string): string[] {
  const quick = [0, Math.floor(offsets.length / 2) + 6, offsets.length - 7];
  const matches = (zone: string) => {
    const clock = zoneClock(zone);
    return quick.every((i) => clock.offsetAt(probes[i] as number) === offsets[i]) && probes.every((t, i) => clock.offsetAt(t) === offsets[i]);
  };
  const zones = Intl.supportedValuesOf("timeZone").filter(matches);
  return zones.includes(preferred) ? [preferred, ...zones.filter((z) => z !== preferred)] : zones;
}

export async function resolveSourceTimeZone(conn: mysql.Connection, configured: string, log?: Pick<Logger, "info" | "warn">): Promise<string> {
  if (configured !== "SYSTEM") return configured;
  const [rows] = await conn.query("SELECT @@session.time_zone AS zone, @@system_time_zone AS system");
  const { zone, system } = (rows as { zone: string | null; system: string | null }[])[0] ?? { zone: null, system: null };
  const offsets = await serverOffsets(conn, [...probes, Math.floor(Date.now() / 1000)]);
  const now = offsets.pop() as number;
  if (offsets.every((o) => o === now)) return offsetText(now);
  if (zone && zone.toUpperCase() !== "SYSTEM") {
    try {
      zoneClock(zone);
      return zone;
    } catch {
      // A zone of the server's own tables that this runtime does not know: matched below.
    }
  }
  const [match] = matchingZones(offsets, system ?? "");
  if (match) {
    log?.info({ serverZone: zone, systemZone: system, zone: match }, "the source's time zone is SYSTEM: the server's offsets from 1970 to 2037 are those of this zone, which renders its TIMESTAMPs");
    return match;
  }
  log?.warn({ serverZone: zone, systemZone: system, offset: offsetText(now) }, "the server's time zone changes its UTC offset (daylight saving time) and matches no IANA zone here: TIMESTAMPs are rendered at one offset; set timezone in the source block to the server's zone");
  return offsetText(now);
}
