// Where an initial sync opens the binlog stream, with MariaDB's GTID position there read from
// @@gtid_binlog_pos around the status (binlog-position.ts) rather than by BINLOG_GTID_POS, which
// reads the binlog file up to the offset. On the real server both must name the same GTIDs,
// also while another connection commits meanwhile.
import { beforeAll, describe, expect, it } from "vitest";
import { startPosition } from "../../src/runtime/snapshot/binlog-position.js";
import { rootConnection } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe("the start position of an initial sync on MariaDB", () => {
  const { database, db } = useTestDatabase("start_pos", (database) => [`CREATE TABLE ${database}.t (id INT PRIMARY KEY AUTO_INCREMENT, v INT NOT NULL)`]);
  const query = async (sql: string) => (await db().query(sql))[0] as Record<string, unknown>[];

  // A fresh binlog file: BINLOG_GTID_POS gives NULL past an event larger than max_allowed_packet,
  // which an earlier suite may have left in the current one.
  beforeAll(async () => {
    await db().query("FLUSH BINARY LOGS");
  });

  /** A MariaDB GTID position's parts: the server lists domains in no fixed order. */
  const domains = (position: string | undefined) => (position ?? "").split(",").sort();

  it("carries the GTID position BINLOG_GTID_POS gives for the same file and offset", async () => {
    await db().query(`INSERT INTO ${database}.t (v) VALUES (1), (2)`);
    const point = await startPosition(query);
    expect(point.executedGtids).toMatch(/^\d+-\d+-\d+(,\d+-\d+-\d+)*$/);
    const [rows] = await db().query("SELECT BINLOG_GTID_POS(?, ?) AS pos", [point.file, point.offset]);
    expect(domains(point.executedGtids)).toEqual(domains((rows as { pos: string }[])[0]?.pos));
  });

  it("stays consistent while another connection commits", async () => {
    const writer = await rootConnection();
    let writing = true;
    const writes = (async () => {
      while (writing) await writer.query(`INSERT INTO ${database}.t (v) VALUES (3)`);
    })();
    let compared = 0;
    try {
      for (let i = 0; i < 200 && compared < 10; i++) {
        const point = await startPosition(query);
        if (point.executedGtids === undefined) continue;
        compared++;
        const [rows] = await db().query("SELECT BINLOG_GTID_POS(?, ?) AS pos", [point.file, point.offset]);
        expect(domains(point.executedGtids)).toEqual(domains((rows as { pos: string }[])[0]?.pos));
      }
    } finally {
      writing = false;
      await writes;
      await writer.end();
    }
    // Most tries see no commit between their three reads; the others fall back, and are skipped here.
    expect(compared).toBe(10);
  });
});
