// XA transactions end to end: a prepared branch's rows arrive once its XA COMMIT is in the
// binlog, in commit order, even with other transactions in between; XA ROLLBACK sends nothing;
// and a crash while a branch is prepared cannot skip it, because the checkpoint is held before
// the branch until its commit is acknowledged.
import { afterAll, describe, expect, it } from "vitest";
import { decodeChanges, idOf, pipelinePlan, readSettled, rootConnection, rule, startChild, startInProcess, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { snapshotPlan } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe("XA transactions", () => {
  const { database, db } = useTestDatabase("rt_xa", (database) => [
    `CREATE TABLE ${database}.t (id INT PRIMARY KEY, v VARCHAR(16)) ENGINE=InnoDB`,
    `CREATE TABLE ${database}.unselected (id INT PRIMARY KEY) ENGINE=InnoDB`,
  ]);
  const branches = new Set<string>();

  // A branch a failed test left prepared would hold its row locks and block dropping the database.
  afterAll(async () => {
    const [listed] = await db().query("XA RECOVER");
    for (const row of listed as { data: string }[]) if (branches.has(String(row.data))) await db().query(`XA ROLLBACK '${String(row.data)}'`);
  });

  /**
   * XA COMMIT or ROLLBACK of a branch prepared by prepare(). XA RECOVER may list a branch a
   * moment before the server has detached it from its closed connection, and until then the
   * statement answers XAER_NOTA (1397): that one is retried.
   */
  async function finish(statement: string): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        await db().query(statement);
        return;
      } catch (error) {
        if ((error as { errno?: number }).errno !== 1397 || tries > 40) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Prepares a branch on its own connection and disconnects, as a transaction manager would. */
  async function prepare(xid: string, id: number, table = "t"): Promise<void> {
    branches.add(xid);
    const tm = await rootConnection();
    const values = table === "t" ? `(${id}, '${xid}')` : `(${id})`;
    await tm.query(`XA START '${xid}'; INSERT INTO ${database}.${table} VALUES ${values}; XA END '${xid}'; XA PREPARE '${xid}'`);
    await tm.end();
    // The server detaches the branch from the closed connection a moment later; until then
    // another connection's XA COMMIT or ROLLBACK answers "Unknown XID".
    for (let tries = 0; ; tries++) {
      const [listed] = await db().query("XA RECOVER");
      if ((listed as { data: string }[]).some((row) => String(row.data) === xid)) return;
      if (tries > 100) throw new Error(`XA branch ${xid} never became recoverable`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it.each(["canal-json", "dts-avro"] as const)("sends committed branches at their XA COMMIT and nothing for XA ROLLBACK (%s)", async (format) => {
    const topic = uniqueName("rt-xa");
    const runtime = await startInProcess(pipelinePlan(uniqueName("xa"), topic, [rule(database, "t")], { format }));
    const tag = format === "canal-json" ? 100 : 200;
    try {
      await prepare(`a${tag}`, tag + 1);
      await db().query(`INSERT INTO ${database}.t VALUES (${tag + 2}, 'plain')`);
      await finish(`XA COMMIT 'a${tag}'`);
      await prepare(`b${tag}`, tag + 3);
      await finish(`XA ROLLBACK 'b${tag}'`);
      await db().query(`XA START 'c${tag}'; INSERT INTO ${database}.t VALUES (${tag + 4}, 'one'); XA END 'c${tag}'; XA COMMIT 'c${tag}' ONE PHASE`);
      await db().query(`INSERT INTO ${database}.t VALUES (${tag + 5}, 'last')`);
      const changes = decodeChanges(format, await readSettled(topic, 4));
      expect(changes.map((c) => `${c.type} ${idOf(c) - tag}`)).toEqual(["INSERT 2", "INSERT 1", "INSERT 4", "INSERT 5"]);
      expect(changes[1]?.after).toMatchObject({ v: `a${tag}` });
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("resumes from a checkpoint just after a committed branch's prepare, another branch still prepared", async () => {
    // The checkpoint stops at the first branch's XA PREPARE, held there by the second: its offset
    // follows the prepare's GTID, which the set written with it lacked, and a restart took the
    // binlog for reset (DTS5006) for good.
    const topic = uniqueName("rt-xa-resume");
    const plan = pipelinePlan(uniqueName("xa-resume"), topic, [rule(database, "t")], { format: "canal-json" });
    let runtime = await startInProcess(plan);
    try {
      await prepare("r1", 401);
      await prepare("r2", 402);
      await finish("XA COMMIT 'r1'");
      await readSettled(topic, 1);
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
    runtime = await startInProcess(plan);
    try {
      await finish("XA COMMIT 'r2'");
      await db().query(`INSERT INTO ${database}.t VALUES (403, 'after')`);
      const ids = decodeChanges("canal-json", await readSettled(topic, 3)).map(idOf);
      expect(ids.slice(-2)).toEqual([402, 403]);
      expect(ids).toContain(401);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("starts an initial sync only once no branch is prepared: one committed after the sync's start was lost", async () => {
    await db().query(`INSERT INTO ${database}.t VALUES (501, 'before')`);
    await prepare("s1", 502);
    const topic = uniqueName("rt-xa-sync");
    const plan = snapshotPlan(uniqueName("xa-sync"), topic, [rule(database, "t")], { chunkSize: 1000 }, { format: "canal-json" });
    const starting = startInProcess(plan);
    starting.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 2500));
    await finish("XA COMMIT 's1'");
    const runtime = await starting;
    try {
      const rows = decodeChanges("canal-json", await readSettled(topic, 2));
      expect(rows.map(idOf)).toContain(502);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("does not hold the checkpoint for a prepared branch that wrote no selected table", async () => {
    const topic = uniqueName("rt-xa-other");
    const runtime = await startInProcess(pipelinePlan(uniqueName("xa-other"), topic, [rule(database, "t")], { format: "canal-json" }));
    try {
      await prepare("o1", 601, "unselected");
      await db().query(`INSERT INTO ${database}.t VALUES (602, 'after')`);
      await readSettled(topic, 1);
      const [rows] = await db().query("SELECT @@gtid_binlog_pos AS pos");
      const now = (rows as { pos: string }[])[0]?.pos;
      await waitForStatus(runtime, (s) => s.checkpoint?.position.gtidSet === now, 10_000);
      await finish("XA ROLLBACK 'o1'");
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("holds the checkpoint before a prepared branch, so a kill -9 before its XA COMMIT loses nothing", async () => {
    const topic = uniqueName("rt-xa-kill");
    const plan = pipelinePlan(uniqueName("xa-kill"), topic, [rule(database, "t")], { format: "canal-json" });
    let runtime = await startChild(plan);
    await prepare("k1", 301);
    await db().query(`INSERT INTO ${database}.t VALUES (302, 'after')`);
    // The later transaction is acknowledged and checkpointed work; the held prepare must not be passed.
    await waitForStatus(runtime, (s) => s.messagesTotal >= 1, 30_000);
    await new Promise((r) => setTimeout(r, 600));
    runtime.process.kill("SIGKILL");
    await runtime.exited;
    await finish("XA COMMIT 'k1'");
    runtime = await startChild(plan);
    try {
      await db().query(`INSERT INTO ${database}.t VALUES (303, 'restarted')`);
      const ids = decodeChanges("canal-json", await readSettled(topic, 3)).map(idOf);
      expect(ids).toContain(301);
      expect(ids).toContain(303);
      expect(ids.indexOf(301)).toBeLessThan(ids.lastIndexOf(303));
    } finally {
      runtime.process.kill("SIGTERM");
      await runtime.exited;
    }
  });
});
