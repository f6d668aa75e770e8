// kill -9 in the middle of an initial sync, then a restart: no row is missing, a row deleted
// meanwhile is gone from Kafka too, and the snapshot continues after the last finished chunk of
// the checkpoint instead of starting over (chunks the checkpoint holds are never read again, so
// their keys carry exactly one INIT record). Also: a
// table without a usable key is read in one pass with a warning that duplicates are possible.
import { describe, expect, it } from "vitest";
import { decodeKey } from "../../src/runtime/snapshot/chunk-key.js";
import { readSettled, rule, stopChild, topicSize, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";
import { logLines, readCheckpoint, replay, snapshotPlan, spawnRuntime, tableRows, waitForPhase } from "./snapshot-helpers.js";

describe("initial sync restarts", () => {
  const { database, db } = useTestDatabase("snap_kill", (database) => [
    `CREATE TABLE ${database}.big (id BIGINT PRIMARY KEY, payload VARCHAR(100) NOT NULL)`,
    `CREATE TABLE ${database}.keyless (a INT, b VARCHAR(20))`,
    `INSERT INTO ${database}.big VALUES ${Array.from({ length: 6000 }, (_, i) => `(${i + 1}, 'row ${i + 1}')`).join(",")}`,
    `INSERT INTO ${database}.keyless VALUES ${Array.from({ length: 500 }, (_, i) => `(${i % 50}, 'dup ${i % 50}')`).join(",")}`,
  ]);

  it("continues after the last finished chunk and loses no row", async () => {
    const topic = uniqueName("snap-kill");
    const plan = snapshotPlan(uniqueName("kill"), topic, [rule(database, "big")], { chunkSize: 200, parallelism: 1, throttle: { rowsPerSecond: 1000, bytesPerSecond: null } });
    const first = spawnRuntime(plan);
    await waitForPhase(first, "snapshotting", 60_000);
    const deadline = Date.now() + 60_000;
    let finished: string[] | null = null;
    while (Date.now() < deadline) {
      const progress = readCheckpoint(first.stateDir)?.snapshot?.tables[`${database}.big`];
      // Killed once Kafka holds a chunk more than the checkpoint (written once a second) knows of.
      if (progress && progress.chunksDone >= 5 && (await topicSize(topic)) > Number(decodeKey(progress.finishedUpTo as string[])[0]) + 200) {
        finished = progress.finishedUpTo;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    first.process.kill("SIGKILL");
    await first.exited;
    // The checkpoint may have moved between reading it and the kill: take the final one.
    finished = readCheckpoint(first.stateDir)?.snapshot?.tables[`${database}.big`]?.finishedUpTo ?? finished;
    expect(finished).not.toBeNull();
    const finishedUpTo = Number(decodeKey(finished as string[])[0]);
    expect(finishedUpTo).toBeGreaterThanOrEqual(1000);
    expect(finishedUpTo).toBeLessThan(6000);
    // Changes while the runtime is down: one in the finished part, one in the part still to read.
    await db().query(`UPDATE ${database}.big SET payload = 'changed while down' WHERE id IN (1, 5999)`);
    // And the delete of a row sent after the checkpoint was written: its chunk is read again
    // without it, so only the stream's delete can take it out of Kafka.
    const sentBeforeKill = replay(await readSettled(topic, await topicSize(topic), 60_000), (await tableRows(db(), database, "big")).info);
    const sentPastCheckpoint = Math.max(...[...sentBeforeKill.latest.keys()].map(Number));
    expect(sentPastCheckpoint).toBeGreaterThan(finishedUpTo);
    await db().query(`DELETE FROM ${database}.big WHERE id = ?`, [sentPastCheckpoint]);

    const second = spawnRuntime(plan);
    try {
      await waitForPhase(second, "streaming", 120_000);
      const resumed = logLines(second).find((l) => l.msg === "initial sync of table resumes after the last finished chunk");
      expect(resumed?.after).toEqual(finished);
      const firstRead = logLines(second).find((l) => l.msg === "snapshot chunk read");
      expect(firstRead?.after).toEqual(finished);

      const messages = await readSettled(topic, await topicSize(topic), 120_000);
      const { info, rows } = await tableRows(db(), database, "big");
      const state = replay(messages, info);
      const wrong = [...rows].filter(([k, v]) => state.latest.get(k) !== v).slice(0, 5);
      expect(wrong).toEqual([]);
      expect(state.latest.has(String(sentPastCheckpoint))).toBe(false);
      expect(state.latest.size).toBe(5999);
      // Keys of acknowledged chunks were read once, before the kill; never again.
      const reread = [...state.initCount].filter(([k, n]) => Number(k) <= finishedUpTo && n !== 1).slice(0, 5);
      expect(reread).toEqual([]);
      expect(readCheckpoint(second.stateDir)?.snapshot?.complete).toBe(true);
    } finally {
      await stopChild(second);
    }
  });

  it("reads a table without a usable key in one pass and warns that duplicates are possible", async () => {
    const topic = uniqueName("snap-keyless");
    const plan = snapshotPlan(uniqueName("keyless"), topic, [rule(database, "keyless")], { chunkSize: 64 });
    const runtime = spawnRuntime(plan);
    try {
      await waitForPhase(runtime, "streaming", 120_000);
      const warning = logLines(runtime).find((l) => typeof l.msg === "string" && /no primary key.*appear twice/.test(l.msg as string));
      expect(warning?.table).toBe(`${database}.keyless`);
      await waitForStatus(runtime, (s) => s.messagesTotal >= 501, 60_000);
      const messages = await readSettled(topic, 501, 60_000);
      expect(messages.length).toBe(501);
    } finally {
      await stopChild(runtime);
    }
  });
});

describe("initial sync restarts in a database whose name has a dot", () => {
  const { database, db } = useTestDatabase("snap.dot", (database) => [
    `CREATE TABLE \`${database}\`.big (id BIGINT PRIMARY KEY, payload VARCHAR(100) NOT NULL)`,
    `INSERT INTO \`${database}\`.big VALUES ${Array.from({ length: 3000 }, (_, i) => `(${i + 1}, 'row ${i + 1}')`).join(",")}`,
  ]);

  it("resumes the table instead of taking it for done, and loses no row", async () => {
    const topic = uniqueName("snap-dot");
    const plan = snapshotPlan(uniqueName("dot"), topic, [rule(database, "big")], { chunkSize: 200, parallelism: 1, throttle: { rowsPerSecond: 1000, bytesPerSecond: null } });
    const first = spawnRuntime(plan);
    await waitForPhase(first, "snapshotting", 60_000);
    await waitForStatus(first, (s) => s.messagesTotal >= 600, 60_000);
    first.process.kill("SIGKILL");
    await first.exited;
    expect(readCheckpoint(first.stateDir)?.snapshot?.complete).toBe(false);

    const second = spawnRuntime(plan);
    try {
      await waitForPhase(second, "streaming", 120_000);
      const messages = await readSettled(topic, 3000, 120_000);
      const { info, rows } = await tableRows(db(), database, "big");
      const state = replay(messages, info);
      expect([...rows].filter(([k, v]) => state.latest.get(k) !== v).slice(0, 5)).toEqual([]);
      expect(state.latest.size).toBe(3000);
    } finally {
      await stopChild(second);
    }
  });
});

describe("a one-pass copy restarted after rows it sent were deleted", () => {
  // A DOUBLE key is read in one pass; the restarted copy reads the table anew, without the rows.
  const { database, db } = useTestDatabase("snap_redo", (database) => [
    `CREATE TABLE ${database}.kd (id DOUBLE NOT NULL PRIMARY KEY, payload VARCHAR(100) NOT NULL)`,
    `INSERT INTO ${database}.kd SELECT seq, CONCAT('row ', seq) FROM ${database}.seq_1_to_3000`,
  ]);

  it("sends the deletes, so the rows the first attempt sent do not stay in Kafka", async () => {
    const topic = uniqueName("snap-redo");
    const plan = snapshotPlan(uniqueName("redo"), topic, [rule(database, "kd")], { chunkSize: 100, parallelism: 1, throttle: { rowsPerSecond: 500, bytesPerSecond: null } });
    const first = spawnRuntime(plan);
    await waitForPhase(first, "snapshotting", 60_000);
    await waitForStatus(first, (s) => s.messagesTotal >= 600, 60_000);
    // Checkpointed with the copy under way (written once a second), then the rows go.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await db().query(`DELETE FROM ${database}.kd WHERE id <= 100`);
    first.process.kill("SIGKILL");
    await first.exited;

    const second = spawnRuntime(plan);
    try {
      await waitForPhase(second, "streaming", 120_000);
      const messages = await readSettled(topic, await topicSize(topic), 60_000);
      const { info, rows } = await tableRows(db(), database, "kd");
      const state = replay(messages, info);
      expect([...state.latest.keys()].filter((k) => !rows.has(k)).slice(0, 5), "deleted rows left in Kafka").toEqual([]);
      expect(state.latest.size).toBe(2900);
    } finally {
      await stopChild(second);
    }
  });
});
