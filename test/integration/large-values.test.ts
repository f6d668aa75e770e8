// Values past 16 MiB reach the pipeline split over several protocol packets, in the copy's
// SELECT results and in the binlog alike; they arrive whole and exact when the topic accepts
// messages that large. When it does not, the pipeline stops with the topic, the message's size
// and what to change, rather than Kafka's bare "message too large".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafka, readSettled, rootConnection, rule, stopChild, topicSize, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { replay, snapshotPlan, spawnRuntime, tableRows, waitForPhase } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

const TOPIC_LIMIT = 64 * 1024 * 1024;

describe("values larger than a protocol packet", () => {
  const { database, db } = useTestDatabase("large_values", (database) => [`CREATE TABLE ${database}.big (id INT PRIMARY KEY, body LONGBLOB NOT NULL, note LONGTEXT)`]);
  let serverPacketLimit = 0;

  beforeAll(async () => {
    const [rows] = await db().query("SELECT @@GLOBAL.max_allowed_packet AS bytes");
    serverPacketLimit = Number((rows as { bytes: number }[])[0]?.bytes);
    // Sessions take the global value when they connect.
    await db().query(`SET GLOBAL max_allowed_packet = ${TOPIC_LIMIT}`);
  });

  afterAll(async () => {
    // MariaDB's BINLOG_GTID_POS cannot read past an event larger than max_allowed_packet, and
    // later suites compare with it: the large events stay behind in a binlog file of their own.
    await db().query("FLUSH BINARY LOGS");
    await db().query(`SET GLOBAL max_allowed_packet = ${serverPacketLimit}`);
  });

  it("copies and streams them exactly", async () => {
    const writer = await rootConnection();
    try {
      await writer.query(`INSERT INTO ${database}.big VALUES (1, REPEAT(X'00FF41', 5700000), REPEAT('é', 1000)), (2, 'x', 'y')`);
      const topic = uniqueName("large-values");
      const admin = kafka().admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: "max.message.bytes", value: String(TOPIC_LIMIT) }] }] });
      await admin.disconnect();
      const child = spawnRuntime(snapshotPlan(uniqueName("large"), topic, [rule(database, "big")], { chunkSize: 10, parallelism: 1 }));
      try {
        await waitForPhase(child, "streaming", 60_000);
        await writer.query(`INSERT INTO ${database}.big VALUES (3, REPEAT(X'FE0001', 3000000), REPEAT('ü', 4500000))`);
        await writer.query(`UPDATE ${database}.big SET note = CONCAT(note, 'z') WHERE id = 1`);
        const messages = await readSettled(topic, 5, 60_000);
        const { info, rows } = await tableRows(db(), database, "big");
        const state = replay(messages, info);
        expect(state.latest.size).toBe(3);
        expect([...rows].filter(([key, row]) => state.latest.get(key) !== row).map(([key]) => key)).toEqual([]);
      } finally {
        await stopChild(child);
      }
    } finally {
      await writer.end();
    }
  });

  it("delivers many small rows to a topic whose max.message.bytes is far below 1 MiB, in batches it accepts", async () => {
    await db().query(`CREATE TABLE ${database}.small (id INT PRIMARY KEY, body VARCHAR(2000) NOT NULL)`);
    await db().query(`INSERT INTO ${database}.small SELECT seq, REPEAT('q', 1000) FROM ${database}.seq_1_to_400`);
    const topic = uniqueName("small-limit");
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: "max.message.bytes", value: "100000" }] }] });
    await admin.disconnect();
    const child = spawnRuntime(snapshotPlan(uniqueName("small"), topic, [rule(database, "small")], { chunkSize: 500 }));
    try {
      await waitForPhase(child, "streaming", 60_000);
      await db().query(`INSERT INTO ${database}.small SELECT seq, REPEAT('r', 1000) FROM ${database}.seq_401_to_800`);
      // every row once, beside the table's schema record (no key)
      const rows = (await readSettled(topic, 800, 60_000)).filter((m) => m.key !== null);
      expect(rows).toHaveLength(800);
    } finally {
      await stopChild(child);
    }
  });

  it("stops with the topic, the message's size and the fix when the topic refuses a message that large", async () => {
    const topic = uniqueName("large-refused");
    const child = spawnRuntime(snapshotPlan(uniqueName("refused"), topic, [rule(database, "big")], { data: false }));
    try {
      await waitForPhase(child, "streaming", 60_000);
      await db().query(`INSERT INTO ${database}.big VALUES (4, REPEAT('a', 2000000), NULL)`);
      const status = await waitForStatus(child, (s) => s.phase === "failed", 60_000);
      expect(status.error?.message).toMatch(new RegExp(`^Kafka refused a message of 1\\.9 MiB for topic ${topic} \\(partition \\d\\)`));
      expect(status.error?.hint).toContain("max.message.bytes");
      expect(status.error?.code).toBe("DTS5008");
    } finally {
      await stopChild(child);
    }
  });
});
