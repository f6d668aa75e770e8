// Two `dts run` on one pipeline state folder: the second refuses before it connects, naming
// the first, while the first keeps streaming; a lock left by a killed run is taken over.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dts, streamingSpec } from "./cli-process.js";
import { readStatus, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe("one dts run per state folder", () => {
  const { database, db } = useTestDatabase("cli_lock", (database) => [
    `CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, status VARCHAR(16) NOT NULL)`,
  ]);
  const stateDir = mkdtempSync(join(tmpdir(), "dts-lock-"));
  const spec = join(stateDir, "locked.dts");
  const pipelineDir = join(stateDir, "locked");
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    env = { ...process.env, DTS_LOG_LEVEL: "info" };
    writeFileSync(spec, streamingSpec({ name: "locked", format: "canal-json", database, table: "orders", topic: uniqueName("cli-lock"), stateDir }));
  });

  it("refuses a second run with the first one's pid and how to stop it, while the first keeps streaming", async () => {
    const first = dts(["run", spec], env);
    const streaming = await waitForStatus({ stateDir: pipelineDir, stderr: first.stderr }, (s) => s.phase === "streaming", 60_000);
    const lock = JSON.parse(readFileSync(join(pipelineDir, "run.lock"), "utf8")) as { pid: number; startedAt: string; command: string };
    expect(lock).toMatchObject({ pid: first.child.pid, command: `dts run ${spec}` });

    const second = await dts(["run", spec], env).finished;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `dts run: error DTS5012: pipeline "locked" is already running as pid ${first.child.pid} since ${lock.startedAt} (state folder ${pipelineDir}); stop it with \`dts stop --pipeline locked ${spec}\``,
    );
    // Refused before the precheck connected, and without touching the first run's status.
    expect(second.stderr).not.toContain("source-connection");
    expect((readStatus(pipelineDir) as unknown as { pid: number }).pid).toBe(first.child.pid);

    await db().query(`INSERT INTO ${database}.orders VALUES (1, 'new'), (2, 'new')`);
    const delivered = await waitForStatus({ stateDir: pipelineDir, stderr: first.stderr }, (s) => s.phase === "streaming" && s.messagesTotal >= streaming.messagesTotal + 2, 30_000);
    expect(delivered.phase).toBe("streaming");
    expect(first.child.exitCode).toBeNull();

    const stop = await dts(["stop", spec], env).finished;
    expect(stop.code, stop.stderr).toBe(0);
    expect((await first.finished).code).toBe(0);
    expect(existsSync(join(pipelineDir, "run.lock"))).toBe(false);
  });

  it("takes over the lock of a run that was killed", async () => {
    const deadPid = 2 ** 22 + 4321;
    writeFileSync(join(pipelineDir, "run.lock"), JSON.stringify({ pipeline: "locked", pid: deadPid, host: hostname(), processStart: null, startedAt: "2026-11-23T09:00:00.000Z", command: "dts run locked.dts" }));
    const run = dts(["run", spec], env);
    await waitForStatus({ stateDir: pipelineDir, stderr: run.stderr }, (s) => s.phase === "streaming", 60_000);
    expect(run.stderr()).toContain(`taking over the lock of pid ${deadPid}`);
    const stop = await dts(["stop", spec], env).finished;
    expect(stop.code, stop.stderr).toBe(0);
    expect((await run.finished).code).toBe(0);
  });
});
