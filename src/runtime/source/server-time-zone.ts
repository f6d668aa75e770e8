// The source's time zone as the encoders and filters need it: the plan's zone, or for SYSTEM
// the server's current offset from UTC (asked once per session).
import type mysql from "mysql2/promise";

export async function resolveSourceTimeZone(conn: mysql.Connection, configured: string): Promise<string> {
  if (configured !== "SYSTEM") return configured;
  const [rows] = await conn.query("SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW()) AS minutes");
  const minutes = Number((rows as { minutes: number | string }[])[0]?.minutes ?? 0);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
