// A server whose default isolation is READ UNCOMMITTED: a chunk's SELECT would read the rows of
// a transaction still open, and when that transaction rolls back no binlog event undoes them,
// so they would stay in Kafka as rows that never existed. The copy's sessions set their own
// isolation (SNAPSHOT_ISOLATION_SQL), so only committed rows arrive.
import type mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSettled, rootConnection, rule, stopChild, topicSize, uniqueName } from "./runtime-helpers.js";
import { replay, snapshotPlan, spawnRuntime, tableRows, waitForPhase } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

const COMMITTED = 20;

describe("initial sync on a server whose default isolation is READ UNCOMMITTED", () => {
  const { database, db } = useTestDatabase("snap_iso", (database) => [`CREATE TABLE ${database}.items (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL)`]);
  let serverIsolation = "";
  let open: mysql.Connection | undefined;

  beforeAll(async () => {
    const values = Array.from({ length: COMMITTED }, (_, i) => `(${i + 1}, 'committed')`);
    await db().query(`INSERT INTO ${database}.items VALUES ${values.join(",")}`);
    const [rows] = await db().query("SELECT @@GLOBAL.tx_isolation AS level");
    serverIsolation = (rows as { level: string }[])[0]?.level ?? "REPEATABLE-READ";
    await db().query("SET GLOBAL TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
  });

  afterAll(async () => {
    await open?.end();
    await db().query("SET GLOBAL tx_isolation = ?", [serverIsolation]);
  });

  it("copies only committed rows while another transaction holds uncommitted ones", async () => {
    open = await rootConnection();
    await open.query("BEGIN");
    // Between committed keys and past them, so chunks of the copy cover them.
    await open.query(`INSERT INTO ${database}.items VALUES (1000, 'rolled back'), (1001, 'rolled back'), (5, 'x') ON DUPLICATE KEY UPDATE label = 'rolled back'`);
    const topic = uniqueName("snap-iso");
    const child = spawnRuntime(snapshotPlan(uniqueName("iso"), topic, [rule(database, "items")], { chunkSize: 4, parallelism: 1 }));
    try {
      await waitForPhase(child, "streaming", 60_000);
      await open.query("ROLLBACK");
      const messages = await readSettled(topic, await topicSize(topic), 60_000);
      const { info, rows } = await tableRows(db(), database, "items");
      const state = replay(messages, info);
      expect([...state.latest.values()].filter((row) => row.includes("rolled back"))).toEqual([]);
      expect(state.latest.size).toBe(COMMITTED);
      expect([...rows].filter(([key, row]) => state.latest.get(key) !== row).map(([key]) => key)).toEqual([]);
    } finally {
      await stopChild(child);
    }
  });
});
