// Failover to a replica that has not logged the checkpoint's transactions yet: its SQL thread
// stopped, so its binlog (built from a dump, gtid_slave_pos set) holds no GTID of the domain.
// MariaDB would accept the GTID start there and fail only once the domain turns up, after the
// checkpoint had been rewritten with the replica's file and offset. The pipeline waits instead
// (retriable DTS5006 naming the replica and the GTID), keeps its checkpoint, and resumes once the
// replica caught up: every row once, in order.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariadbReplica } from "../../scripts/stack/mariadb-replica.js";
import { startMariadbInstance, type MariadbInstance } from "../../scripts/stack/control.js";
import type { Pipeline } from "../../src/generated/plan.js";
import { decodeChanges, exportStackEnv, freePort, pipelinePlan, readSettled, readStatus, rule, startInProcess, uniqueName } from "./runtime-helpers.js";

function connect(server: MariadbInstance): Promise<mysql.Connection> {
  return mysql.createConnection({ host: server.host, port: server.port, user: server.rootUser, password: server.rootPassword, multipleStatements: true });
}

async function insert(db: mysql.Connection, from: number, to: number): Promise<void> {
  for (let id = from; id <= to; id++) await db.query("INSERT INTO app.n VALUES (?, ?)", [id, id]);
}

async function until<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("failover to a replica behind the checkpoint", () => {
  let primary: MariadbInstance;
  let replica: MariadbInstance;

  beforeAll(async () => {
    exportStackEnv();
    primary = await startMariadbInstance({ name: `lagging-primary-${process.pid}`, port: await freePort(), extraArgs: ["--server-id=11"], fresh: true });
    const db = await connect(primary);
    await db.query("CREATE DATABASE app; CREATE TABLE app.n (id INT PRIMARY KEY, v INT NOT NULL)");
    await db.end();
    replica = await startMariadbReplica({ name: `lagging-replica-${process.pid}`, port: await freePort(), primary, serverId: 12, fresh: true });
    process.env.DTS_LAGGING_USER = primary.user;
    process.env.DTS_LAGGING_PASSWORD = primary.password;
  }, 180_000);

  afterAll(async () => {
    await replica?.destroy();
    await primary?.destroy();
  });

  it("waits for the replica instead of streaming from a position it has not reached, then resumes there", async () => {
    const replicaDb = await connect(replica);
    const primaryDb = await connect(primary);
    await replicaDb.query("STOP SLAVE SQL_THREAD");
    const topic = uniqueName("lagging");
    const plan = pipelinePlan(uniqueName("lagging"), topic, [rule("app", "n")]);
    const pipeline = plan.pipelines[0] as Pipeline;
    pipeline.source = { ...pipeline.source, host: primary.host, port: primary.port, failover: [{ host: replica.host, port: replica.port }], user: { env: "DTS_LAGGING_USER" }, password: { env: "DTS_LAGGING_PASSWORD" }, heartbeat: { periodSeconds: 1, table: null } };
    const runtime = await startInProcess(plan);
    const checkpointFile = join(runtime.stateDir, "checkpoint.json");
    const checkpoint = () => JSON.parse(readFileSync(checkpointFile, "utf8")) as { position: { file: string; offset: number; gtidSet: string }; sourceServerId: number };
    try {
      await insert(primaryDb, 1, 50);
      await readSettled(topic, 50);
      const [written] = await primaryDb.query("SELECT @@gtid_binlog_pos AS pos");
      const primaryPos = (written as { pos: string }[])[0]?.pos as string;
      const lastRead = await until("the checkpoint after row 50", checkpoint, (c) => c.position.gtidSet === primaryPos);
      await primaryDb.end();
      await primary.stop();

      const waiting = await until("the wait for the replica", () => readStatus(runtime.stateDir), (s) => s?.phase === "retrying" && s.source === `${replica.host}:${replica.port}` && s.error?.code === "DTS5006");
      expect(waiting?.error?.message).toMatch(new RegExp(`${replica.host}:${replica.port} \\(server_id 12\\) has not yet logged .*lacks GTID ${primaryPos}`));
      // Heartbeats of a stream the replica accepted would have moved it: the checkpoint stays the primary's.
      await new Promise((r) => setTimeout(r, 3000));
      expect(checkpoint()).toMatchObject({ position: lastRead.position, sourceServerId: 11 });

      await replicaDb.query("START SLAVE SQL_THREAD");
      await until("streaming on the replica", () => readStatus(runtime.stateDir), (s) => s?.phase === "streaming", 90_000);
      await replicaDb.query("STOP SLAVE; RESET SLAVE ALL");
      await insert(replicaDb, 51, 60);
      const changes = decodeChanges("canal-json", await readSettled(topic, 60, 60_000));
      expect(changes.map((c) => Number(c.after?.id))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      const [rows] = await replicaDb.query("SELECT @@gtid_binlog_pos AS pos");
      const now = await until("the checkpoint on the replica", checkpoint, (c) => c.position.gtidSet === (rows as { pos: string }[])[0]?.pos);
      expect(now.sourceServerId).toBe(12);
      expect((await runtime.stop()).phase).toBe("stopped");
    } finally {
      await replicaDb.end();
      await runtime.stop();
    }
  }, 300_000);
});
