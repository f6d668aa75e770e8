// A checkpoint whose binlog the server has purged: the restart must fail at once with the
// binlog-purged error that names the position and the way out (a new initial sync), never skip
// the gap silently and never wait out the retry window. On a throwaway MariaDB, since PURGE
// BINARY LOGS would take binlogs from the other suites' pipelines on the stack's server.
import { describe, expect, it } from "vitest";
import { run } from "../../src/runtime/index.js";
import { createLogger } from "../../src/runtime/logger.js";
import { decodeChanges, pipelinePlan, readSettled, readStatus, rule, startInProcess, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useThrowawayMariadb } from "./throwaway-mariadb.js";

describe("a checkpoint in a purged binlog", () => {
  const database = uniqueName("rt_purged");
  const source = useThrowawayMariadb({ name: "purged", envPrefix: "PURGED", setup: `CREATE DATABASE ${database}; CREATE TABLE ${database}.t (id INT PRIMARY KEY) ENGINE=InnoDB` });

  /** A pipeline of table t on the throwaway server, writing to a topic of its own; a long retry window, so a failure at once shows it is not retried. */
  function pipelineOnSource(name: string) {
    const topic = uniqueName(`rt-${name}`);
    const plan = pipelinePlan(uniqueName(name), topic, [rule(database, "t")]);
    const pipeline = source.useAsSource(plan);
    pipeline.retryWindowSeconds = 3600;
    return { topic, plan, pipeline, db: source.db() };
  }

  it("fails the restart at once with the position and the fix", async () => {
    const { topic, plan, pipeline, db } = pipelineOnSource("purged");

    const first = await startInProcess(plan);
    await db.query(`INSERT INTO ${database}.t VALUES (1)`);
    await readSettled(topic, 1);
    expect((await first.stop()).phase).toBe("stopped");
    const checkpoint = readStatus(first.stateDir)?.checkpoint?.position;
    expect(checkpoint?.file).toMatch(/\.\d{6}$/);

    // Changes the pipeline has not read, then every binlog up to them is purged.
    await db.query(`INSERT INTO ${database}.t VALUES (2); FLUSH BINARY LOGS; INSERT INTO ${database}.t VALUES (3); FLUSH BINARY LOGS`);
    const [logs] = await db.query("SHOW BINARY LOGS");
    const newest = (logs as { Log_name: string }[]).at(-1)?.Log_name as string;
    await db.query(`PURGE BINARY LOGS TO '${newest}'`);
    // The server keeps a file crash recovery still needs, so the oldest left is read back.
    const [left] = await db.query("SHOW BINARY LOGS");
    const oldest = (left as { Log_name: string }[])[0]?.Log_name as string;
    expect(oldest > (checkpoint?.file as string)).toBe(true);

    const started = Date.now();
    const result = await run(plan, pipeline.name, { handleSignals: false, log: createLogger({ pretty: false, level: "silent" }) });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.phase).toBe("failed");
    expect(result.error?.code).toBe("binlog-purged");
    expect(result.error?.retriable).toBe(false);
    expect(result.error?.message).toContain(`${checkpoint?.file}:${checkpoint?.offset}`);
    expect(result.error?.message).toContain(`oldest binlog the source still has (${oldest})`);
    expect(result.error?.hint).toMatch(/initial sync/);
    expect(readStatus(first.stateDir)?.phase).toBe("failed");
  }, 120_000);

  it("resumes after a DDL that was the last thing it read: the checkpoint's GTID position counts it", async () => {
    const { topic, plan, pipeline, db } = pipelineOnSource("ddllast");
    const first = await startInProcess(plan);
    await db.query(`INSERT INTO ${database}.t VALUES (100); ALTER TABLE ${database}.t COMMENT = 'last'`);
    const [status] = (await db.query("SHOW MASTER STATUS")) as unknown as [{ File: string; Position: number }[]];
    await waitForStatus({ stateDir: first.stateDir }, (s) => s.checkpoint?.position?.offset === Number(status[0]?.Position), 30_000);
    expect((await first.stop()).phase).toBe("stopped");
    await db.query(`INSERT INTO ${database}.t VALUES (101)`);
    const second = await startInProcess(plan);
    try {
      const ids = decodeChanges(pipeline.format, await readSettled(topic, 2)).map((c) => c.after?.id);
      expect(ids).toEqual(["100", "101"]);
    } finally {
      expect((await second.stop()).phase).toBe("stopped");
    }
  }, 120_000);

  it("fails the restart when RESET MASTER wrote other transactions where the checkpoint resumes", async () => {
    const { topic, plan, pipeline, db } = pipelineOnSource("reset");
    await db.query(`DELETE FROM ${database}.t; RESET MASTER`);

    const first = await startInProcess(plan);
    for (let id = 10; id < 20; id++) await db.query(`INSERT INTO ${database}.t VALUES (${id})`);
    await readSettled(topic, 10);
    expect((await first.stop()).phase).toBe("stopped");
    const checkpoint = readStatus(first.stateDir)?.checkpoint?.position;
    // the stream seeded from an empty GTID position knows its GTIDs from the first transaction on
    expect(checkpoint?.gtidSet).toMatch(/^0-\d+-\d+$/);

    // The same file names again, other transactions (other GTIDs) where the checkpoint resumes.
    await db.query("RESET MASTER; SET SESSION gtid_seq_no = 1000");
    for (let id = 20; id < 40; id++) await db.query(`INSERT INTO ${database}.t VALUES (${id})`);
    const result = await run(plan, pipeline.name, { handleSignals: false, log: createLogger({ pretty: false, level: "silent" }) });
    expect(result.phase).toBe("failed");
    expect(result.error?.code).toBe("binlog-purged");
    expect(result.error?.message).toMatch(/RESET MASTER/);
    expect(result.error?.hint).toMatch(/initial sync/);
  }, 120_000);
});
