// A signal in the middle of `dts run`'s start must not take Node's default action (SIGHUP kills
// with 129, SIGTERM with 143, and the state folder's lock stays behind). A group worker joining
// a group whose brokers it cannot reach yet takes seconds before it runs: a SIGHUP then is
// refused, as the group's help says, and a SIGTERM stops it cleanly.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dts, streamingSpec } from "./cli-process.js";
import { freePort, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("signals while dts run starts", () => {
  const { database } = useTestDatabase("start_signals", (db) => [`CREATE TABLE ${db}.orders (id BIGINT PRIMARY KEY)`]);

  it("a group worker that cannot reach its brokers yet refuses SIGHUP, and stops on SIGTERM leaving no lock", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "dts-start-signals-"));
    const spec = join(stateDir, "worker.dts");
    const dead = `127.0.0.1:${await freePort()}`;
    const text = streamingSpec({ name: "joining", format: "canal-json", database, table: "orders", topic: uniqueName("start-signals"), stateDir })
      .replace(/brokers = \["[^"]*"\]/, `brokers = ["${dead}"]`)
      .replace(`directory = "${stateDir}"`, `directory = "${stateDir}"\n    topic     = "${uniqueName("start-signals-ckpt")}"`);
    writeFileSync(spec, text);
    const group = uniqueName("start-signals");
    const run = dts(["run", "--group", group, "--worker-id", "w1", spec], { ...process.env, DTS_LOG_LEVEL: "info" });
    const lock = join(stateDir, `group-${group}`, "w1", "joining", "run.lock");
    await until(() => run.stderr().includes("joining the group"), 60_000, `the worker to join the group:\n${run.stderr()}`);
    expect(existsSync(lock)).toBe(true);

    run.child.kill("SIGHUP");
    await until(() => run.stderr().includes("a group worker does not reload its specs") || run.child.exitCode !== null, 10_000, "the refusal");
    expect(run.child.exitCode, run.stderr()).toBeNull();

    run.child.kill("SIGTERM");
    const finished = await run.finished;
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toContain("stopped before joining the group");
    expect(existsSync(lock)).toBe(false);
  }, 90_000);
});
