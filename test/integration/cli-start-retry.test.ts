// `dts run` started while its source is down: it waits inside the retry window with status
// `retrying until T` and starts streaming once the server is up, or fails when the window runs
// out; a failed setting still refuses the start at once. `dts precheck` of a broker list with
// one dead broker passes with a warning naming it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariadbInstance, type MariadbInstance } from "../../scripts/stack/control.js";
import { dts, streamingSpec } from "./cli-process.js";
import { decodeChanges, exportStackEnv, freePort, idOf, readSettled, readStatus, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const stateDir = mkdtempSync(join(tmpdir(), "dts-start-retry-"));

interface RetryStatus {
  phase: string;
  retry: { since: string; deadline: string; attempts: number } | null;
  error: { message: string } | null;
}

function writeSpec(name: string, options: { database: string; topic: string; extra?: string; edit?: (text: string) => string }): string {
  const spec = join(stateDir, `${name}.dts`);
  const text = streamingSpec({ name, format: "canal-json", database: options.database, table: "orders", topic: options.topic, stateDir, extra: options.extra ?? "" });
  writeFileSync(spec, options.edit ? options.edit(text) : text);
  return spec;
}

describe("dts run while the source is down", () => {
  const name = `start-retry-${process.pid}`;
  const database = uniqueName("start_retry");
  let server: MariadbInstance | null = null;
  let port: number;
  let env: NodeJS.ProcessEnv;

  // The server is made once for its accounts and table, then stopped: its port has no listener
  // when the run starts, and the same server comes back on it later.
  beforeAll(async () => {
    exportStackEnv();
    port = await freePort();
    server = await startMariadbInstance({ name, port, fresh: true });
    const db = await mysql.createConnection({ host: server.host, port, user: server.rootUser, password: server.rootPassword });
    await db.query(`CREATE DATABASE ${database}`);
    await db.query(`CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, status VARCHAR(16) NOT NULL)`);
    await db.end();
    await server.stop();
    env = { ...process.env, DTS_LOG_LEVEL: "info", MYSQL_HOST: server.host, MYSQL_PORT: String(port), MYSQL_USER: server.user, MYSQL_PASSWORD: server.password };
  }, 180_000);

  afterAll(async () => {
    await server?.destroy();
  }, 180_000);

  it("waits with status retrying until the window's end, then streams once the server is up", async () => {
    const topic = uniqueName("start-retry");
    const spec = writeSpec("late-source", { database, topic, extra: "  retry_window = 5m\n" });
    const started = Date.now();
    const run = dts(["run", spec], env);
    const pipelineDir = join(stateDir, "late-source");
    const retrying = (await waitForStatus({ stateDir: pipelineDir, stderr: run.stderr }, (s) => s.phase === "retrying", 30_000)) as unknown as RetryStatus;
    const since = Date.parse(retrying.retry?.since ?? "");
    expect(since).toBeGreaterThanOrEqual(started);
    expect(Date.parse(retrying.retry?.deadline ?? "") - since).toBe(5 * 60_000);
    expect(retrying.error?.message).toBe(`cannot start yet: nothing listens on 127.0.0.1:${port} (connection refused)`);

    // Between waits the pipeline tries again (phase starting, a start check of a second or so), so
    // `dts status` is asked until it finds the pipeline waiting.
    const expected = `retrying until ${retrying.retry?.deadline} (cannot start yet: nothing listens on 127.0.0.1:${port}`;
    let shown = "";
    for (let attempt = 0; attempt < 20 && !shown.includes(expected); attempt++) shown = (await dts(["status", spec], env).finished).stdout;
    expect(shown).toContain(expected);

    server = await startMariadbInstance({ name, port });
    await waitForStatus({ stateDir: pipelineDir, stderr: run.stderr }, (s) => s.phase === "streaming", 120_000);
    const db = await mysql.createConnection({ host: server.host, port, user: server.rootUser, password: server.rootPassword });
    await db.query(`INSERT INTO ${database}.orders VALUES (1, 'late')`);
    await db.end();
    const changes = decodeChanges("canal-json", await readSettled(topic, 1));
    expect(changes.map((c) => `${c.type} ${idOf(c)} ${String(c.after?.status)}`)).toEqual(["INSERT 1 late"]);

    const stop = await dts(["stop", spec], env).finished;
    expect(stop.code, stop.stderr).toBe(0);
    const finished = await run.finished;
    expect(finished.code).toBe(0);
    // The log says why it waits and until when.
    expect(finished.stderr).toContain(`retrying until ${retrying.retry?.deadline}`);
    await server.stop();
  }, 240_000);

  it("fails with the retry window's error once the window runs out", async () => {
    const spec = writeSpec("never-up", { database, topic: uniqueName("start-retry"), extra: "  retry_window = 3s\n" });
    const started = Date.now();
    const run = await dts(["run", spec], { ...env, MYSQL_PORT: String(await freePort()) }).finished;
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(run.stderr).toMatch(/dts run: error DTS5014: gave up after retrying for the whole retry window \(3 s\); last error: cannot start yet: nothing listens on 127\.0\.0\.1:\d+ \(connection refused\)/);
    expect(readStatus(join(stateDir, "never-up"))?.phase).toBe("failed");
  }, 60_000);

  it("stops cleanly on SIGTERM while it waits", async () => {
    const spec = writeSpec("stopped-early", { database, topic: uniqueName("start-retry"), extra: "  retry_window = 10m\n" });
    const run = dts(["run", spec], { ...env, MYSQL_PORT: String(await freePort()) });
    await waitForStatus({ stateDir: join(stateDir, "stopped-early"), stderr: run.stderr }, (s) => s.phase === "retrying", 30_000);
    run.child.kill("SIGTERM");
    expect((await run.finished).code).toBe(0);
    expect(readStatus(join(stateDir, "stopped-early"))?.phase).toBe("stopped");
  }, 60_000);
});

describe("dts run and dts precheck against the running stack", () => {
  const { database } = useTestDatabase("start_config", (database) => [`CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, status VARCHAR(16) NOT NULL)`]);
  const withoutCreateTopics = (text: string) => text.replace(/\n {4}create_topics \{\n {6}partitions = 2\n {4}\}\n/, "\n");

  it("refuses to start at once on a failed setting: a missing topic with create_topics off", async () => {
    const spec = writeSpec("no-topic", { database, topic: uniqueName("start-missing"), edit: withoutCreateTopics });
    const started = Date.now();
    const run = await dts(["run", spec]).finished;
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.stderr).toMatch(/FAIL {2}topics +DTS\d+ {2}topic \S+ does not exist and create_topics is off/);
    expect(run.stderr).toContain("dts run: the precheck failed, so the pipeline was not started.");
    expect(readStatus(join(stateDir, "no-topic"))).toBeNull();
  }, 60_000);

  it("passes the precheck while one broker of the list answers, warning about the dead one", async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const spec = writeSpec("one-dead-broker", { database, topic: uniqueName("start-brokers"), edit: (t) => t.replace(/brokers = \["([^"]*)"\]/, `brokers = ["$1", "${dead}"]`) });
    const precheck = await dts(["precheck", "--format", "json", spec]).finished;
    expect(precheck.code, precheck.stdout + precheck.stderr).toBe(0);
    const brokers = (JSON.parse(precheck.stdout) as { pipelines: { results: { id: string; status: string; reason: string }[] }[] }).pipelines[0]?.results.find((r) => r.id === "kafka-brokers");
    expect(brokers?.status).toBe("warn");
    expect(brokers?.reason).toContain(`cannot reach ${dead}`);
    expect(brokers?.reason).toContain(`${process.env.KAFKA_BROKERS} answered`);
  }, 60_000);

  it("fails the precheck as unreachable when no broker answers, and dts precheck exits 1", async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const spec = writeSpec("no-broker", { database, topic: uniqueName("start-brokers"), edit: (t) => t.replace(/brokers = \["[^"]*"\]/, `brokers = ["${dead}"]`) });
    const precheck = await dts(["precheck", "--format", "json", spec]).finished;
    expect(precheck.code).toBe(1);
    const brokers = (JSON.parse(precheck.stdout) as { pipelines: { results: { id: string; status: string; unreachable?: boolean }[] }[] }).pipelines[0]?.results.find((r) => r.id === "kafka-brokers");
    expect(brokers).toMatchObject({ status: "fail", unreachable: true });
  }, 60_000);
});
