// Tables whose binlog rows differ from what SELECT shows: generated columns (VIRTUAL ones are
// computed, not stored) and INVISIBLE columns arrive in the initial sync and the stream alike.
// A system-versioned table (MariaDB's WITH SYSTEM VERSIONING) logs its history rows as inserts
// and its deletes as updates; the pipeline stops naming the table rather than send those as
// changes, whether the table is copied or only streamed. A MariaDB sequence is a table only in
// name: its state changes are not sent, as the initial sync does not copy it.
import { describe, expect, it } from "vitest";
import { pipelinePlan, readSettled, rule, startChild, stopChild, topicSize, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { replay, snapshotPlan, spawnRuntime, tableRows, waitForPhase } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe("tables with generated, invisible and system-versioned columns", () => {
  const { database, db } = useTestDatabase("table_features", (database) => [
    `CREATE TABLE ${database}.computed (id INT PRIMARY KEY, a INT NOT NULL, doubled INT AS (a * 2) VIRTUAL, label VARCHAR(20) AS (CONCAT('n', a)) PERSISTENT, hidden INT INVISIBLE DEFAULT 7, note VARCHAR(10))`,
    `CREATE TABLE ${database}.versioned (id INT PRIMARY KEY, a INT) WITH SYSTEM VERSIONING`,
  ]);

  it("copies and streams generated and invisible columns exactly", async () => {
    await db().query(`INSERT INTO ${database}.computed (id, a, note) VALUES (1, 10, 'x'), (2, 20, 'y')`);
    const topic = uniqueName("table-features");
    const child = spawnRuntime(snapshotPlan(uniqueName("computed"), topic, [rule(database, "computed")], { chunkSize: 1, parallelism: 1 }));
    try {
      await waitForPhase(child, "streaming", 60_000);
      await db().query(`INSERT INTO ${database}.computed (id, a, note, hidden) VALUES (3, 30, 'z', 9)`);
      await db().query(`UPDATE ${database}.computed SET a = 11 WHERE id = 1`);
      await db().query(`DELETE FROM ${database}.computed WHERE id = 2`);
      const messages = await readSettled(topic, 6, 60_000);
      const { info, rows } = await tableRows(db(), database, "computed");
      expect(info.columns.map((c) => c.name)).toEqual(["id", "a", "doubled", "label", "hidden", "note"]);
      const state = replay(messages, info);
      expect(state.latest).toEqual(rows);
      expect(rows.get("1")).toBe("1|11|22|n11|7|x");
    } finally {
      await stopChild(child);
    }
  });

  it("stops naming a system-versioned table in the initial sync", async () => {
    await db().query(`INSERT INTO ${database}.versioned VALUES (1, 10)`);
    const child = spawnRuntime(snapshotPlan(uniqueName("versioned"), uniqueName("versioned"), [rule(database, "versioned")], {}));
    try {
      const status = await waitForStatus(child, (s) => s.phase === "failed", 60_000);
      expect(status.error?.message).toContain(`table ${database}.versioned is system-versioned`);
      expect(status.error?.code).toBe("DTS5013");
    } finally {
      await stopChild(child);
    }
  });

  it("stops naming a system-versioned table when its rows arrive in the stream", async () => {
    const topic = uniqueName("versioned-stream");
    const child = await startChild(pipelinePlan(uniqueName("versioned-stream"), topic, [rule(database, "versioned")], { format: "canal-json" }));
    try {
      await db().query(`UPDATE ${database}.versioned SET a = 11 WHERE id = 1`);
      const status = await waitForStatus(child, (s) => s.phase === "failed", 60_000);
      expect(status.error?.message).toContain(`table ${database}.versioned is system-versioned`);
      expect(status.error?.hint).toContain("DROP SYSTEM VERSIONING");
      expect(await topicSize(topic)).toBe(0);
    } finally {
      await stopChild(child);
    }
  });
});

describe("MariaDB sequences", () => {
  const { database, db } = useTestDatabase("sequences", (database) => [`CREATE TABLE ${database}.orders (id INT PRIMARY KEY)`, `CREATE SEQUENCE ${database}.order_ids`]);

  it("are left out of a database's tables: their state changes send nothing", async () => {
    const topic = uniqueName("sequences");
    const child = await startChild(pipelinePlan(uniqueName("sequences"), topic, [rule(database, null)], { format: "canal-json" }));
    try {
      // The first NEXTVAL writes the sequence's next cached range to the binlog as a row.
      await db().query(`INSERT INTO ${database}.orders VALUES (NEXTVAL(${database}.order_ids))`);
      await db().query(`INSERT INTO ${database}.orders VALUES (2)`);
      const messages = await readSettled(topic, 2, 30_000);
      expect(messages.map((m) => JSON.parse(m.value.toString()).table)).toEqual(["orders", "orders"]);
    } finally {
      await stopChild(child);
    }
  });
});
