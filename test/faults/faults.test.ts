// The fault suite (npm run test:faults): a row-numbered workload runs while the runtime is
// killed with SIGKILL 20 times at random moments (during the initial sync and while streaming),
// Kafka and then MariaDB are stopped and restarted, and an outage outlasts a short retry
// window. Afterwards every topic is read back and the report counts rows missing (must be 0),
// per-key order violations (must be 0), deleted rows whose last message is not their delete
// (must be 0) and duplicates (allowed: the unacknowledged tail).
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stackControl, type StackControl } from "../integration/stack-control.js";
import { spawnRuntime, snapshotPlan, waitForPhase, type Child } from "../integration/snapshot-helpers.js";
import { decodeChanges, exportStackEnv, readCommitted, readSettled, readStatus, rootConnection, rule, stackEnv, uniqueName, waitForStatus } from "../integration/runtime-helpers.js";

const keys = 3000;
const hotKeys = 300;

interface Report {
  messages: number;
  missing: number;
  orderViolations: number;
  duplicates: number;
  /** Of the duplicates: rows a copied-again chunk sent again (INIT on either side). */
  duplicateCopies: number;
  /** Of those: the same row state sent as INIT twice (a chunk copied twice), not a change beside a copy. */
  copiedTwice: number;
  /** Rows the table no longer has whose last message in Kafka is not a delete. */
  deletedButPresent: number;
  problems: string[];
}

interface Observed {
  seq: number;
  /** A snapshot row (INIT): the row as of its chunk's read, so a jump forward is no gap. */
  snapshot: boolean;
}

/**
 * Compares what Kafka holds per key with the table's final `seq` values. A chunk copied again
 * after a kill carries the row as of the new read, folding the updates in between (they were
 * never acknowledged as changes); every streamed change after a key's latest copy must be there.
 */
function analyse(messages: Awaited<ReturnType<typeof readSettled>>, finalSeq: Map<number, number>): Report {
  const perKey = new Map<number, Observed[]>();
  const lastIsDelete = new Map<number, boolean>();
  let rows = 0;
  for (const change of decodeChanges("dts-avro", messages)) {
    if (change.type === "DELETE" && change.before) lastIsDelete.set(Number(change.before.id), true);
    if (change.type === "DDL" || !change.after) continue;
    lastIsDelete.set(Number(change.after.id), false);
    rows++;
    const id = Number(change.after.id);
    const list = perKey.get(id) ?? [];
    list.push({ seq: Number(change.after.seq), snapshot: change.type === "INIT" });
    perKey.set(id, list);
  }
  const report: Report = { messages: rows, missing: 0, orderViolations: 0, duplicates: 0, duplicateCopies: 0, copiedTwice: 0, deletedButPresent: 0, problems: [] };
  for (const [id, deleted] of lastIsDelete) {
    if (deleted || finalSeq.has(id)) continue;
    report.deletedButPresent++;
    if (report.problems.length < 10) report.problems.push(`key ${id}: deleted from the table, but its last message in Kafka is not a delete`);
  }
  for (const [id, final] of finalSeq) {
    const seen = perKey.get(id) ?? [];
    if (seen.length === 0) {
      report.missing += 1;
      report.problems.push(`key ${id}: nothing in Kafka (final seq ${final})`);
      continue;
    }
    const distinct = new Map<number, boolean>();
    let latest = -1;
    let keyProblems = 0;
    for (const { seq, snapshot } of seen) {
      const earlierWasCopy = distinct.get(seq);
      if (earlierWasCopy !== undefined) {
        report.duplicates++;
        if (earlierWasCopy || snapshot) report.duplicateCopies++;
        if (earlierWasCopy && snapshot) report.copiedTwice++;
        if (report.problems.length < 10 && process.env.DTS_FAULTS_DUPLICATES) report.problems.push(`duplicate key ${id}: ${seen.map((o) => `${o.snapshot ? "INIT " : ""}${o.seq}`).join(",")}`);
        continue;
      }
      distinct.set(seq, snapshot);
      if (seq < latest) {
        report.orderViolations++;
        keyProblems++;
      } else if (!snapshot && latest >= 0 && seq > latest + 1) {
        report.missing += seq - latest - 1;
        keyProblems++;
      }
      latest = Math.max(latest, seq);
    }
    if (latest < final) {
      report.missing += final - latest;
      keyProblems++;
    }
    if (keyProblems > 0 && report.problems.length < 10) {
      report.problems.push(`key ${id}: ${seen.map((o) => `${o.snapshot ? "INIT " : ""}${o.seq}`).join(",")} (final ${final})`);
    }
  }
  return report;
}

/**
 * Numbered updates (seq = seq + 1) on random keys, hot keys most often, and now and then the
 * delete of a cold key, until stopped; rides out outages.
 */
function startWorkload(pool: mysql.Pool, database: string): { stop: () => Promise<void>; statements: () => number } {
  let running = true;
  let count = 0;
  const loop = (async () => {
    while (running) {
      const id = Math.random() < 0.8 ? 1 + Math.floor(Math.random() * hotKeys) : 1 + Math.floor(Math.random() * keys);
      // Deleted rows must not stay in Kafka, also when the copy that sent them is cut short.
      const deletes = id > hotKeys && Math.random() < 0.1;
      try {
        await pool.query(deletes ? `DELETE FROM ${database}.ledger WHERE id = ?` : `UPDATE ${database}.ledger SET seq = seq + 1 WHERE id = ?`, [id]);
        count++;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200)); // MariaDB restarting
      }
    }
  })();
  return { stop: async () => ((running = false), await loop), statements: () => count };
}

async function finalSeqs(db: mysql.Pool, database: string): Promise<Map<number, number>> {
  const [rows] = await db.query<mysql.RowDataPacket[]>(`SELECT id, seq FROM ${database}.ledger`);
  return new Map(rows.map((r) => [Number(r.id), Number(r.seq)]));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until the pipeline has read everything the server wrote and Kafka acknowledged it (delay 0), however loaded the machine is. */
async function caughtUp(child: Child): Promise<void> {
  await waitForStatus(child, (s) => s.phase === "streaming" && (s as { delaySeconds?: number | null }).delaySeconds === 0, 120_000);
  await pause(500);
}

describe("fault suite", () => {
  let db: mysql.Connection;
  let pool: mysql.Pool;
  let control: StackControl;
  const database = uniqueName("faults");

  beforeAll(async () => {
    exportStackEnv();
    const env = stackEnv();
    const available = await stackControl();
    if (typeof available === "string") throw new Error(available);
    control = available;
    db = await rootConnection();
    pool = mysql.createPool({ host: env.MYSQL_HOST, port: Number(env.MYSQL_PORT), user: env.MYSQL_ROOT_USER, password: env.MYSQL_ROOT_PASSWORD, connectionLimit: 2 });
    await db.query(`CREATE DATABASE ${database}`);
    await db.query(`CREATE TABLE ${database}.ledger (id INT PRIMARY KEY, seq INT NOT NULL)`);
    const values = Array.from({ length: keys }, (_, i) => `(${i + 1}, 0)`).join(",");
    await db.query(`INSERT INTO ${database}.ledger VALUES ${values}`);
  });

  afterAll(async () => {
    // The MariaDB restart closed `db`; the pool reconnects.
    await pool?.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await db?.end().catch(() => undefined);
    await pool?.end().catch(() => undefined);
  });

  /** The whole scenario with one delivery guarantee; returns the report of what Kafka holds. */
  async function faultRun(delivery: "at-least-once" | "exactly-once"): Promise<Report> {
    const topic = uniqueName("faults");
    const exactlyOnce = delivery === "exactly-once";
    const plan = snapshotPlan(uniqueName("faults"), topic, [rule(database, "ledger")], { schema: false, chunkSize: 100, parallelism: 1, throttle: { rowsPerSecond: 600, bytesPerSecond: null } }, {
      format: "dts-avro", partition: { policy: "primary-key-hash" }, retryWindowSeconds: 120,
      ...(exactlyOnce ? { delivery } : {}),
    });
    const pipeline = plan.pipelines[0] as (typeof plan.pipelines)[number];
    if (exactlyOnce) pipeline.checkpoint = { ...pipeline.checkpoint, topic: uniqueName("faults-checkpoints") };
    const workload = startWorkload(pool, database);
    let child: Child = spawnRuntime(plan);
    const killedIn: string[] = [];
    try {
      await waitForPhase(child, "snapshotting", 60_000);
      for (let kill = 0; kill < 20; kill++) {
        // The first ten land wherever the pipeline is once it runs (mostly the initial sync), the
        // last ten while it streams.
        await waitForStatus(child, (st) => (kill < 10 ? st.phase === "snapshotting" || st.phase === "streaming" : st.phase === "streaming"), 120_000);
        await pause(300 + Math.random() * 1500);
        killedIn.push(readStatus(child.stateDir)?.phase ?? "unknown");
        child.process.kill("SIGKILL");
        await child.exited;
        await pause(Math.random() * 500);
        child = spawnRuntime(plan);
      }
      await waitForPhase(child, "streaming", 120_000);

      await control.stop("kafka");
      await pause(3_000);
      await control.start("kafka");
      await waitForStatus(child, (s) => s.phase === "streaming", 120_000);

      await control.stop("mariadb");
      await pause(2_000);
      await control.start("mariadb");
      await waitForStatus(child, (s) => s.phase === "streaming", 120_000);
      await pause(2_000);
    } finally {
      await workload.stop();
    }
    // Let the pipeline catch up, then stop it cleanly.
    await caughtUp(child);
    child.process.kill("SIGTERM");
    expect(await child.exited).toBe(0);

    // An outage longer than a short retry window: the pipeline fails and says why; started
    // again once Kafka is back, it resumes from its checkpoint and loses nothing.
    const shortWindow = { ...plan, pipelines: plan.pipelines.map((p) => ({ ...p, retryWindowSeconds: 3 })) };
    child = spawnRuntime(shortWindow);
    await waitForPhase(child, "streaming", 60_000);
    const tail = startWorkload(pool, database);
    await pause(1_000);
    await control.stop("kafka");
    const failed = await waitForStatus(child, (s) => s.phase === "failed", 60_000);
    expect(failed.error?.message).toMatch(/retry window/);
    await tail.stop();
    await control.start("kafka");
    child = spawnRuntime(shortWindow);
    await waitForPhase(child, "streaming", 120_000);
    await caughtUp(child);
    child.process.kill("SIGTERM");
    expect(await child.exited).toBe(0);

    const finalSeq = await finalSeqs(pool, database);
    // Every runtime has stopped, so the topic is complete; updates to a row before its chunk was
    // copied are folded into its snapshot row, so a message per row left is the only exact lower bound.
    // Exactly-once is read as its consumers must read it: committed transactions only.
    const report = analyse(exactlyOnce ? await readCommitted(topic, 120_000) : await readSettled(topic, finalSeq.size, 120_000), finalSeq);
    const kills = killedIn.reduce<Record<string, number>>((acc, phase) => ({ ...acc, [phase]: (acc[phase] ?? 0) + 1 }), {});
    process.stdout.write(`\nfault suite (${delivery}): ${workload.statements() + tail.statements()} numbered updates on ${keys} keys; kills by phase ${JSON.stringify(kills)}\n` +
      `  messages ${report.messages}, rows missing ${report.missing}, per-key order violations ${report.orderViolations}, duplicates ${report.duplicates} ` +
      `(${report.duplicateCopies} from chunks copied again, ${report.copiedTwice} of them INIT twice; ${report.duplicates - report.duplicateCopies} streamed changes replayed), ` +
      `deleted rows still present ${report.deletedButPresent}\n`);
    return report;
  }

  it("loses nothing across 20 kills, a Kafka restart, a MariaDB restart and an outage past the retry window", async () => {
    const report = await faultRun("at-least-once");
    expect(report.problems).toEqual([]);
    expect(report.missing).toBe(0);
    expect(report.orderViolations).toBe(0);
    expect(report.deletedButPresent).toBe(0);
  });

  it("with exactly-once delivery, read_committed sees no change twice and no chunk copied twice", async () => {
    const report = await faultRun("exactly-once");
    expect(report.problems).toEqual([]);
    expect(report.missing).toBe(0);
    expect(report.orderViolations).toBe(0);
    expect(report.duplicates - report.duplicateCopies, "streamed changes sent twice").toBe(0);
    expect(report.copiedTwice, "rows of a chunk copied twice").toBe(0);
    expect(report.deletedButPresent).toBe(0);
  });
});
