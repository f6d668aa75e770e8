// Crash and restart: kill -9 of the runtime in the middle of a numbered workload, then a
// restart, and every change is in Kafka with per-key order kept (duplicates only from the
// unacknowledged tail). Also: a clean SIGTERM stop resumes without duplicates, a changed
// partition count refuses the restart, and a checkpoint older than the server's binlogs fails
// with a clear error.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExecutionPlan } from "../../src/generated/plan.js";
import { decodeChanges, kafka, pipelinePlan, readSettled, readStatus, rule, startChild, startInProcess, stopChild, topicSize, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

/** Writes `checkpoint` as the checkpoint file of the plan's pipeline and returns its state folder. */
function writeCheckpoint(plan: ExecutionPlan, checkpoint: unknown): string {
  const pipeline = plan.pipelines[0] as { name: string; checkpoint: { directory: string } };
  const stateDir = join(pipeline.checkpoint.directory, pipeline.name);
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, "checkpoint.json"), JSON.stringify(checkpoint));
  return stateDir;
}

describe("restarts", () => {
  const { database, db } = useTestDatabase("rt_restart", (database) => [
    `CREATE TABLE ${database}.counters (id INT PRIMARY KEY, seq INT NOT NULL)`,
    `CREATE TABLE ${database}.plain (id INT PRIMARY KEY)`,
  ]);

  it("loses nothing and keeps per-key order across kill -9 and restart", async () => {
    const topic = uniqueName("rt-kill");
    const plan = pipelinePlan(uniqueName("kill"), topic, [rule(database, "counters")], { partition: { policy: "primary-key-hash" } });
    const t = `${database}.counters`;
    const keys = 100;
    const updates = 1500;
    let runtime = await startChild(plan);

    const finalSeq = new Map<number, number>();
    for (let k = 1; k <= keys; k++) finalSeq.set(k, 0);
    await db().query(`INSERT INTO ${t} VALUES ${[...finalSeq.keys()].map((k) => `(${k}, 0)`).join(",")}`);
    let killedAt = -1;
    for (let i = 0; i < updates; i++) {
      const k = (i * 37) % keys + 1;
      const second = ((i + 1) * 37) % keys + 1;
      if (i % 3 === 0 && second !== k) {
        await db().query(`BEGIN; UPDATE ${t} SET seq = seq + 1 WHERE id = ${k}; UPDATE ${t} SET seq = seq + 1 WHERE id = ${second}; COMMIT`);
        finalSeq.set(second, (finalSeq.get(second) as number) + 1);
      } else {
        await db().query(`UPDATE ${t} SET seq = seq + 1 WHERE id = ${k}`);
      }
      finalSeq.set(k, (finalSeq.get(k) as number) + 1);
      if (i === Math.floor(updates / 2)) {
        // Kill only once some changes went out, so the restart really resumes mid-stream.
        killedAt = (await waitForStatus(runtime, (st) => st.messagesTotal > 0 && st.checkpoint !== null, 30_000)).messagesTotal;
        runtime.process.kill("SIGKILL");
        await runtime.exited;
      }
      if (i === Math.floor((updates * 3) / 4)) runtime = await startChild(plan);
    }
    expect(killedAt).toBeGreaterThan(0);
    const totalChanges = keys + [...finalSeq.values()].reduce((a, b) => a + b, 0);
    try {
      const changes = decodeChanges("canal-json", await readSettled(topic, totalChanges, 120_000));
      const perKey = new Map<number, number[]>();
      for (const c of changes) {
        const id = Number(c.after?.id);
        const list = perKey.get(id) ?? [];
        list.push(Number(c.after?.seq));
        perKey.set(id, list);
      }
      const problems: string[] = [];
      for (const [k, last] of finalSeq) {
        const seen = perKey.get(k) ?? [];
        const firsts: number[] = [];
        for (const s of seen) if (!firsts.includes(s)) firsts.push(s);
        const complete = firsts.length === last + 1 && firsts.every((s, i) => s === i);
        if (!complete || seen.at(-1) !== last) problems.push(`key ${k}: ${seen.join(",")} (final ${last})`);
      }
      expect(problems).toEqual([]);
      expect(changes.length).toBeGreaterThanOrEqual(totalChanges);
    } finally {
      expect(await stopChild(runtime)).toBe(0);
    }
  });

  it("stops cleanly on SIGTERM and resumes without duplicates", async () => {
    const topic = uniqueName("rt-term");
    const plan = pipelinePlan(uniqueName("term"), topic, [rule(database, "plain")]);
    let runtime = await startChild(plan);
    for (let i = 1; i <= 50; i++) await db().query(`INSERT INTO ${database}.plain VALUES (${i})`);
    await readSettled(topic, 50);
    expect(await stopChild(runtime)).toBe(0);
    const status = readStatus(runtime.stateDir);
    expect(status?.phase).toBe("stopped");
    for (let i = 51; i <= 80; i++) await db().query(`INSERT INTO ${database}.plain VALUES (${i})`);
    runtime = await startChild(plan);
    const ids = decodeChanges("canal-json", await readSettled(topic, 80)).map((c) => Number(c.after?.id));
    expect(ids).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    // Resumed by file and offset in the middle of a binlog file, the checkpoint still carries
    // the GTID position (seeded from BINLOG_GTID_POS), as a move to a replica needs.
    const [[server]] = (await db().query("SELECT @@gtid_binlog_pos AS pos")) as unknown as [{ pos: string }[]];
    const sequence = (pos: string | null | undefined) => Number(/(?:^|,)0-\d+-(\d+)/.exec(pos ?? "")?.[1] ?? -1);
    const gtidOf = (st: { checkpoint: unknown }) => (st.checkpoint as { position?: { gtidSet?: string | null } } | null)?.position?.gtidSet;
    const resumed = await waitForStatus(runtime, (st) => sequence(gtidOf(st)) >= sequence(server?.pos), 15_000);
    expect(gtidOf(resumed)).toMatch(/^\d+-\d+-\d+/);
    expect(await stopChild(runtime, "SIGINT")).toBe(0);
  });

  it("resumes from the compacted checkpoint topic when the local state folder is gone", async () => {
    const topic = uniqueName("rt-move");
    const checkpointTopic = uniqueName("rt-move-checkpoints");
    const name = uniqueName("move");
    const onMachine = (dir?: string) => pipelinePlan(name, topic, [rule(database, "plain")], { checkpoint: { directory: dir ?? mkdtempSync(join(tmpdir(), "dts-state-")), topic: checkpointTopic } });
    await db().query(`DELETE FROM ${database}.plain`);
    const first = await startInProcess(onMachine());
    for (let i = 1; i <= 20; i++) await db().query(`INSERT INTO ${database}.plain VALUES (${i})`);
    await readSettled(topic, 20);
    expect((await first.stop()).phase).toBe("stopped");
    for (let i = 21; i <= 30; i++) await db().query(`INSERT INTO ${database}.plain VALUES (${i})`);
    const second = await startInProcess(onMachine());
    try {
      const ids = decodeChanges("canal-json", await readSettled(topic, 30)).filter((c) => c.type === "INSERT").map((c) => Number(c.after?.id));
      expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      expect((await second.stop()).phase).toBe("stopped");
    }
  });

  it("shows in the status when the checkpoint topic cannot be written, and clears it once it can", async () => {
    const topic = uniqueName("rt-ckcopy");
    const checkpointTopic = uniqueName("rt-ckcopy-checkpoints");
    const runtime = await startInProcess(pipelinePlan(uniqueName("ckcopy"), topic, [rule(database, "plain")], { checkpoint: { directory: mkdtempSync(join(tmpdir(), "dts-state-")), topic: checkpointTopic } }));
    const admin = kafka().admin();
    await admin.connect();
    try {
      await db().query(`INSERT INTO ${database}.plain VALUES (501)`);
      await readSettled(topic, 1);
      await admin.deleteTopics({ topics: [checkpointTopic] });
      await db().query(`INSERT INTO ${database}.plain VALUES (502)`);
      const failing = await waitForStatus(runtime, (st) => /^checkpoint not copied to topic /.test(st.error?.message ?? ""), 60_000);
      expect(failing.phase).toBe("streaming");
      expect(failing.error?.hint).toContain("restart the pipeline");
      await admin.createTopics({ topics: [{ topic: checkpointTopic, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] }], waitForLeaders: true });
      await db().query(`INSERT INTO ${database}.plain VALUES (503)`);
      await waitForStatus(runtime, (st) => st.error === null, 60_000);
    } finally {
      await admin.disconnect();
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("refuses to start when the topic's partition count changed since the checkpoint", async () => {
    const topic = uniqueName("rt-parts");
    const plan = pipelinePlan(uniqueName("parts"), topic, [rule(database, "plain")]);
    const first = await startInProcess(plan);
    expect((await first.stop()).phase).toBe("stopped");
    const admin = kafka().admin();
    await admin.connect();
    await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] });
    await admin.disconnect();
    const second = await startInProcess(plan).catch((error: Error) => error);
    expect(second).toBeInstanceOf(Error);
    expect((second as Error).message).toMatch(new RegExp(`topic ${topic} now has 5 partitions but had 3`));
    expect(readStatus(first.stateDir)?.phase).toBe("failed");
  });

  it("fails clearly when the checkpoint is older than the oldest binlog on the server", async () => {
    const topic = uniqueName("rt-purged");
    const plan = pipelinePlan(uniqueName("purged"), topic, [rule(database, "plain")]);
    const [logs] = await db().query("SHOW BINARY LOGS");
    const oldest = (logs as { Log_name: string }[])[0]?.Log_name as string;
    const ancient = oldest.replace(/\d+$/, (d) => "0".repeat(d.length));
    const name = (plan.pipelines[0] as { name: string }).name;
    const stateDir = writeCheckpoint(plan, { version: 1, pipeline: name, position: { file: ancient, offset: 4, gtidSet: null }, eventTimeSeconds: 0, partitionCounts: {}, updatedAt: new Date().toISOString() });
    const failure = await startInProcess(plan).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(/older than the oldest binlog/);
    const status = await waitForStatus({ stateDir }, (s) => s.phase === "failed", 10_000);
    expect(status.error?.hint).toMatch(/initial sync/);
    expect(await topicSize(topic).catch(() => 0)).toBe(0);
  });

  it("refuses another pipeline's checkpoint and a damaged initial-sync record instead of resuming from them", async () => {
    const donor = pipelinePlan(uniqueName("donor"), uniqueName("rt-donor"), [rule(database, "plain")]);
    const first = await startInProcess(donor);
    expect((await first.stop()).phase).toBe("stopped");
    const saved = JSON.parse(readFileSync(join(first.stateDir, "checkpoint.json"), "utf8")) as Record<string, unknown>;

    const topic = uniqueName("rt-foreign");
    const plan = pipelinePlan(uniqueName("foreign"), topic, [rule(database, "plain")]);
    const name = (plan.pipelines[0] as { name: string }).name;
    const donorName = (donor.pipelines[0] as { name: string }).name;
    writeCheckpoint(plan, saved);
    const foreign = await startInProcess(plan).catch((error: Error) => error);
    expect((foreign as Error).message).toMatch(new RegExp(`${donorName}.*${name}|${name}.*${donorName}`));

    writeCheckpoint(plan, { ...saved, pipeline: name, snapshot: { complete: "yes" } });
    const damaged = await startInProcess(plan).catch((error: Error) => error);
    expect((damaged as Error).message).toMatch(/initial-sync progress|snapshot/);
    expect(await topicSize(topic).catch(() => 0)).toBe(0);
  });
});
