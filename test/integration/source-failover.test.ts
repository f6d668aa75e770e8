// Automatic failover between the servers of one replication topology. The spec lists a primary
// and its replica (built as `stack:up -- --replica` builds the stack's); a numbered load writes
// to the primary; the primary is stopped mid-stream and the replica promoted; the pipeline, which
// was never told, moves to the replica inside its retry window and resumes by GTID position:
// every change arrives, in order, and the only repeats are one replay of the unacknowledged tail.
import { rmSync } from "node:fs";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariadbReplica } from "../../scripts/stack/mariadb-replica.js";
import { startMariadbInstance, type MariadbInstance } from "../../scripts/stack/control.js";
import type { Pipeline } from "../../src/generated/plan.js";
import { finalState, NumberedWorkload } from "./numbered-workload.js";
import { decodeChanges, exportStackEnv, freePort, pipelinePlan, readSettled, readStatus, rule, startInProcess, uniqueName } from "./runtime-helpers.js";

const prefilled = 200;

function connect(server: MariadbInstance): Promise<mysql.Connection> {
  return mysql.createConnection({ host: server.host, port: server.port, user: server.rootUser, password: server.rootPassword, multipleStatements: true });
}

async function variable(db: mysql.Connection, sql: string, values: unknown[] = []): Promise<string> {
  const [rows] = (await db.query(sql, values)) as unknown as [{ value: unknown }[]];
  return String(rows[0]?.value);
}

/** `sequence` is one pass over `written`, except that one stretch may be sent again right after it was first sent. */
function replayedOnce(sequence: number[], written: number[]): { repeats: number } {
  const restart = sequence.findIndex((n, i) => i > 0 && n <= (sequence[i - 1] as number));
  if (restart === -1) return { repeats: 0 };
  const resumedAt = sequence.indexOf(sequence[restart] as number);
  expect([...sequence.slice(0, restart), ...sequence.slice(restart + (restart - resumedAt))], "one pass with a single replayed stretch").toEqual(written);
  expect(sequence.slice(resumedAt, restart), "the replay repeats what was sent just before").toEqual(sequence.slice(restart, restart + (restart - resumedAt)));
  return { repeats: restart - resumedAt };
}

describe("failover to a replica listed in the spec", () => {
  const primaryName = `failover-primary-${process.pid}`;
  let primary: MariadbInstance;
  let replica: MariadbInstance;
  let primaryDb: mysql.Connection;

  beforeAll(async () => {
    exportStackEnv();
    primary = await startMariadbInstance({ name: primaryName, port: await freePort(), fresh: true });
    primaryDb = await connect(primary);
    await primaryDb.query(`CREATE DATABASE app; CREATE TABLE app.n (id INT PRIMARY KEY, n INT NOT NULL); USE app; INSERT INTO app.n SELECT seq, 0 FROM seq_1_to_${prefilled}`);
    replica = await startMariadbReplica({ name: `failover-replica-${process.pid}`, port: await freePort(), primary, serverId: 2, fresh: true });
    process.env.DTS_FAILOVER_USER = primary.user;
    process.env.DTS_FAILOVER_PASSWORD = primary.password;
  }, 180_000);

  afterAll(async () => {
    await primaryDb?.end().catch(() => undefined);
    await replica?.destroy();
    await primary?.destroy();
  });

  it("moves to the replica when the primary stops: every change once and in order, but for one replayed tail", async () => {
    const topic = uniqueName("failover");
    const plan = pipelinePlan(uniqueName("failover"), topic, [rule("app", "n")]);
    const pipeline = plan.pipelines[0] as Pipeline;
    pipeline.checkpoint = { ...pipeline.checkpoint, topic: uniqueName("failover-checkpoints") };
    pipeline.source = { ...pipeline.source, host: primary.host, port: primary.port, failover: [{ host: replica.host, port: replica.port }], user: { env: "DTS_FAILOVER_USER" }, password: { env: "DTS_FAILOVER_PASSWORD" } };
    const runtime = await startInProcess(plan);
    const workload = new NumberedWorkload(primaryDb, "app.n", prefilled);
    const replicaDb = await connect(replica);
    try {
      workload.start();
      while (workload.steps < 600) await new Promise((r) => setTimeout(r, 20));

      // The failover an operator (or an orchestrator) runs: writes held, the replica caught up,
      // the primary gone, the replica promoted and taking the writes.
      await workload.pause();
      const pos = await variable(primaryDb, "SELECT @@gtid_binlog_pos AS value");
      expect(await variable(replicaDb, "SELECT MASTER_GTID_WAIT(?, 60) AS value", [pos])).toBe("0");
      await primaryDb.end();
      await primary.stop();
      await replicaDb.query("STOP SLAVE; RESET SLAVE ALL");
      workload.switchTo(replicaDb);
      workload.resume();
      const beforeMove = workload.steps;
      while (workload.steps < beforeMove + 600) await new Promise((r) => setTimeout(r, 20));
      await workload.stop();

      const changes = decodeChanges("canal-json", await readSettled(topic, workload.steps, 90_000));
      const numbers = changes.filter((c) => c.type !== "DELETE").map((c) => Number(c.after?.n));
      const { repeats } = replayedOnce(numbers, workload.written);
      expect(new Set(changes.filter((c) => c.type === "DELETE").map((c) => Number(c.before?.id)))).toEqual(workload.deleted);
      const state = finalState(changes);
      expect(Object.fromEntries([...workload.expected].map(([id]) => [id, state.get(id)]))).toEqual(Object.fromEntries(workload.expected));
      // At most what was sent since the last checkpoint (written every 200 ms) can come again.
      expect(repeats).toBeLessThan(workload.written.length / 2);

      await new Promise((r) => setTimeout(r, 1500));
      const status = readStatus(runtime.stateDir);
      expect(status?.source).toBe(`${replica.host}:${replica.port}`);
      expect(status?.checkpoint?.position.gtidSet).toBe(await variable(replicaDb, "SELECT @@gtid_binlog_pos AS value"));
      expect((await runtime.stop()).phase).toBe("stopped");

      // The former primary comes back on its own, out of the topology. A new run resumes on
      // the server its checkpoint was read from, not on the first listed: the old primary lacks
      // the replica's transactions, and would also never see the writes that follow.
      // Twice: from the state folder, then, the folder gone (a group's other worker), from the
      // checkpoint topic.
      primary = await startMariadbInstance({ name: primaryName, port: primary.port });
      for (const [id, fromTopic] of [[1_000_000, false], [1_000_001, true]] as const) {
        if (fromTopic) rmSync(runtime.stateDir, { recursive: true, force: true });
        const again = await startInProcess(plan);
        try {
          await replicaDb.query("INSERT INTO app.n VALUES (?, -1)", [id]);
          const after = decodeChanges("canal-json", await readSettled(topic, changes.length + 1, 60_000));
          expect(after.some((c) => c.type === "INSERT" && c.after?.id === String(id)), `row ${id} sent`).toBe(true);
          expect(readStatus(again.stateDir)?.source).toBe(`${replica.host}:${replica.port}`);
        } finally {
          expect((await again.stop()).phase).toBe("stopped");
        }
      }
    } finally {
      await workload.stop();
      await replicaDb.end();
      await runtime.stop();
    }
  }, 300_000);
});
