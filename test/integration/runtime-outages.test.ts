// Outages inside and beyond the retry window: Kafka stopped and restarted, MariaDB restarted,
// both while the runtime streams in a child process; nothing committed is lost. A retry window
// that runs out ends in a failed status that says why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type mysql from "mysql2/promise";
import { decodeChanges, exportStackEnv, pipelinePlan, readSettled, rootConnection, rule, startChild, stopChild, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { stackControl, type StackControl } from "./stack-control.js";

const control = await stackControl();
const skipReason = typeof control === "string" ? control : null;

describe.skipIf(skipReason !== null)(`outages${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const stack = control as StackControl;
  let db: mysql.Connection | null = null;
  const database = uniqueName("rt_outage");

  const connect = async () => {
    db = await rootConnection();
    return db;
  };

  beforeAll(async () => {
    exportStackEnv();
    const conn = await connect();
    await conn.query(`CREATE DATABASE ${database}`);
    await conn.query(`CREATE TABLE ${database}.events (id INT PRIMARY KEY, note VARCHAR(16))`);
  });

  afterAll(async () => {
    await stack.start("kafka").catch(() => undefined);
    await stack.start("mariadb").catch(() => undefined);
    const conn = await connect().catch(() => null);
    await conn?.query(`DROP DATABASE IF EXISTS ${database}`);
    await conn?.end();
  });

  const insert = async (from: number, to: number, table = "events") => {
    for (let i = from; i <= to; i++) await (db as mysql.Connection).query(`INSERT INTO ${database}.${table} VALUES (${i}, 'n${i}')`);
  };

  it("rides out Kafka going away and coming back inside the window", async () => {
    const topic = uniqueName("rt-kafka-outage");
    const runtime = await startChild(pipelinePlan(uniqueName("kafka-outage"), topic, [rule(database, "events")]));
    try {
      await insert(1, 30);
      await readSettled(topic, 30);
      await stack.stop("kafka");
      await insert(31, 60);
      const retrying = await waitForStatus(runtime, (s) => s.phase === "retrying", 90_000);
      expect(retrying.error?.message).toMatch(/Kafka/);
      await stack.start("kafka");
      await waitForStatus(runtime, (s) => s.phase === "streaming", 120_000);
      await insert(61, 70);
      const ids = new Set(decodeChanges("canal-json", await readSettled(topic, 70, 120_000)).map((c) => Number(c.after?.id)));
      expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    } finally {
      await stack.start("kafka");
      expect(await stopChild(runtime)).toBe(0);
    }
  });

  it("rides out a MariaDB restart inside the window", async () => {
    const topic = uniqueName("rt-mysql-outage");
    const runtime = await startChild(pipelinePlan(uniqueName("mysql-outage"), topic, [rule(database, "events")]));
    try {
      await (db as mysql.Connection).query(`DELETE FROM ${database}.events`);
      await insert(1, 30);
      await (db as mysql.Connection).end().catch(() => undefined);
      await stack.stop("mariadb");
      const retrying = await waitForStatus(runtime, (s) => s.phase === "retrying", 60_000);
      expect(retrying.error?.message).toBeTruthy();
      await stack.start("mariadb");
      await connect();
      await waitForStatus(runtime, (s) => s.phase === "streaming", 120_000);
      await insert(31, 60);
      const changes = decodeChanges("canal-json", await readSettled(topic, 90, 120_000)).filter((c) => c.type === "INSERT");
      const ids = new Set(changes.map((c) => Number(c.after?.id)));
      expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    } finally {
      await stack.start("mariadb");
      expect(await stopChild(runtime)).toBe(0);
    }
  });

  it("fails with the reason when the retry window runs out", async () => {
    const topic = uniqueName("rt-window");
    const runtime = await startChild(pipelinePlan(uniqueName("window"), topic, [rule(database, "events")], { retryWindowSeconds: 5 }));
    try {
      await (db as mysql.Connection).end().catch(() => undefined);
      await stack.stop("mariadb");
      const failed = await waitForStatus(runtime, (s) => s.phase === "failed", 90_000);
      expect(failed.error?.message).toMatch(/retry window \(5 s\)/);
      expect(failed.error?.message).toMatch(/source|binlog|connect/i);
      expect(await runtime.exited).toBe(1);
    } finally {
      await stack.start("mariadb");
      await connect();
    }
  });
});
