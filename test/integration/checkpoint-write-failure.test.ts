// A checkpoint write that fails (a full disk, here a folder standing where the file goes) leaves
// the stream running and is tried again: it counted as written, so on an idle source the
// checkpoint stayed behind for good, "checkpoint written again" was logged while writes still
// failed, and a clean stop exited 0 with the old checkpoint, so the restart sent changes again.
// Now the next tick writes it once it can, and a stop that cannot write it fails, saying so.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import { pipelinePlan, readSettled, rule, startInProcess, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

function checkpointOffset(stateDir: string): number | null {
  try {
    return (JSON.parse(readFileSync(join(stateDir, "checkpoint.json"), "utf8")) as { position: { offset: number } }).position.offset;
  } catch {
    return null;
  }
}

/** Makes checkpoint.json unwritable: a folder (not empty) in its place, which a rename cannot replace. */
function blockCheckpoint(stateDir: string): void {
  const path = join(stateDir, "checkpoint.json");
  rmSync(path, { force: true });
  mkdirSync(path);
  writeFileSync(join(path, "keep"), "");
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a checkpoint write that fails", () => {
  const { database, db } = useTestDatabase("ckpt_fail", (database) => [`CREATE TABLE ${database}.t (id INT PRIMARY KEY, v INT NOT NULL)`]);

  it("is written on a later tick once it can be, on an idle source too", async () => {
    const topic = uniqueName("ckpt-fail");
    const plan = pipelinePlan(uniqueName("ckpt-fail"), topic, [rule(database, "t")]);
    // No heartbeat in the test's time: it would move the checkpoint on and hide the missed write.
    const pipeline = plan.pipelines[0] as Pipeline;
    pipeline.source = { ...pipeline.source, heartbeat: { periodSeconds: 300, table: null } };
    const runtime = await startInProcess(plan);
    try {
      await db().query(`INSERT INTO ${database}.t VALUES (1, 1)`);
      await readSettled(topic, 1);
      await until("the first checkpoint", () => checkpointOffset(runtime.stateDir) !== null);
      blockCheckpoint(runtime.stateDir);
      await db().query(`INSERT INTO ${database}.t VALUES (2, 2)`);
      await readSettled(topic, 2);
      const failing = await waitForStatus(runtime, (s) => s.error?.code === "DTS5011", 20_000);
      expect(failing.error?.message).toMatch(/^checkpoint not written since /);
      rmSync(join(runtime.stateDir, "checkpoint.json"), { recursive: true });
      // Nothing new happens on the source: only a retried write brings the checkpoint back.
      await until("the checkpoint written again", () => checkpointOffset(runtime.stateDir) !== null, 5_000);
      await waitForStatus(runtime, (s) => s.error === null, 20_000);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("fails a stop that cannot write the last checkpoint, saying so", async () => {
    const topic = uniqueName("ckpt-fail-stop");
    const runtime = await startInProcess(pipelinePlan(uniqueName("ckpt-fail-stop"), topic, [rule(database, "t")]));
    try {
      await db().query(`UPDATE ${database}.t SET v = v + 1`);
      await readSettled(topic, 2);
      await until("the first checkpoint", () => checkpointOffset(runtime.stateDir) !== null);
      blockCheckpoint(runtime.stateDir);
      await db().query(`UPDATE ${database}.t SET v = v + 1`);
      await readSettled(topic, 4);
      const result = await runtime.stop();
      expect(result.phase).toBe("failed");
      expect(result.error?.message).toMatch(/^the last checkpoint could not be written: cannot write checkpoint .*checkpoint\.json.*; a restart resumes from the last checkpoint written and sends the changes after it again$/);
      expect(result.error?.hint).toBe("check free disk space and permissions of the state folder");
    } finally {
      if (existsSync(join(runtime.stateDir, "checkpoint.json"))) rmSync(join(runtime.stateDir, "checkpoint.json"), { recursive: true });
    }
  });
});
