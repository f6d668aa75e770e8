// An initial sync whose chunk SELECT waits on a metadata lock: an ALTER TABLE waits for a
// transaction that read the table, and every new read of the table queues behind the ALTER.
// The copy stood still with nothing logged; now it warns, naming the table and the server's
// state, and says so again when the wait ends.
import mysql from "mysql2/promise";
import { describe, expect, it } from "vitest";
import { readSettled, rule, stopChild, uniqueName } from "./runtime-helpers.js";
import { loadStackEnv } from "./stack-env.js";
import { useTestDatabase } from "./test-database.js";
import { logLines, snapshotPlan, spawnRuntime, waitForPhase } from "./snapshot-helpers.js";

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("an initial sync read waiting on a metadata lock", () => {
  const { database } = useTestDatabase("snap_mdl", (database) => [`CREATE TABLE ${database}.t (id INT PRIMARY KEY, v INT NOT NULL)`, `INSERT INTO ${database}.t SELECT seq, seq FROM ${database}.seq_1_to_100`]);

  it("warns while the read waits, naming the table and the lock, and when it goes on", async () => {
    const { mysql: server } = loadStackEnv();
    const options = { host: server.host, port: server.port, user: server.rootUser, password: server.rootPassword };
    const holder = await mysql.createConnection(options);
    const alterer = await mysql.createConnection(options);
    const topic = uniqueName("snap-mdl");
    const runtime = spawnRuntime(snapshotPlan(uniqueName("mdl"), topic, [rule(database, "t")], { chunkSize: 1000 }));
    try {
      await holder.query(`START TRANSACTION`);
      await holder.query(`SELECT v FROM ${database}.t WHERE id = 1`);
      const alter = alterer.query(`ALTER TABLE ${database}.t ADD COLUMN w INT NULL`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await waitForPhase(runtime, "snapshotting", 60_000);
      const warned = () => logLines(runtime).find((l) => l.level === 40 && typeof l.msg === "string" && (l.msg as string).startsWith(`the initial sync's read of ${database}.t has waited`));
      await until("the lock wait's warning", () => warned() !== undefined, 40_000);
      expect(warned()).toMatchObject({ table: `${database}.t`, serverState: "Waiting for table metadata lock", hint: expect.stringContaining("SHOW PROCESSLIST") });

      await holder.query("COMMIT");
      await alter;
      await waitForPhase(runtime, "streaming", 60_000);
      expect(logLines(runtime).some((l) => l.table === `${database}.t` && l.msg === "the initial sync's read of the table goes on: the wait ended")).toBe(true);
      // The table's schema record, then its 100 rows.
      expect((await readSettled(topic, 101, 30_000)).length).toBeGreaterThanOrEqual(101);
    } finally {
      await stopChild(runtime);
      await holder.end();
      await alterer.end();
    }
  }, 120_000);
});
