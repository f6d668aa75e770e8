// delivery = exactly-once against the real broker: a numbered load on a table while the pipeline
// runs in a child process that is killed with SIGKILL twice mid-stream and started again; a
// read_committed consumer then sees every change exactly once and in order (no replayed tail,
// no gap), and the checkpoint topic holds the committed checkpoint of the last run.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finalState, NumberedWorkload } from "./numbered-workload.js";
import { decodeChanges, pipelinePlan, readCommitted, readTopic, rootConnection, rule, startChild, stopChild, uniqueName, type ChildRuntime } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const prefilled = 100;

describe("exactly-once delivery", () => {
  const { database, db } = useTestDatabase("eos");

  async function waitForSteps(workload: NumberedWorkload, steps: number): Promise<void> {
    while (workload.steps < steps) await new Promise((r) => setTimeout(r, 20));
  }

  /** Lets the load run for `ms`, checking it kept writing. */
  async function runUnderLoad(workload: NumberedWorkload, ms: number): Promise<void> {
    const before = workload.steps;
    await new Promise((r) => setTimeout(r, ms));
    expect(workload.steps - before, "the load kept writing").toBeGreaterThan(50);
  }

  it("a read_committed consumer sees every change once across two kill -9s", async () => {
    await db().query(`CREATE TABLE ${database}.items (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB`);
    await db().query(`INSERT INTO ${database}.items SELECT seq, 0 FROM ${database}.seq_1_to_${prefilled}`);
    const topic = uniqueName("eos");
    const checkpointTopic = uniqueName("eos-checkpoints");
    const base = pipelinePlan(uniqueName("eos"), topic, [rule(database, "items")], { delivery: "exactly-once" });
    const pipeline = base.pipelines[0] as (typeof base.pipelines)[number];
    pipeline.checkpoint = { ...pipeline.checkpoint, topic: checkpointTopic };
    const writer = await rootConnection();
    const workload = new NumberedWorkload(writer, `${database}.items`, prefilled);
    let runtime: ChildRuntime | null = await startChild(base);
    try {
      workload.start();
      // Each run streams (and commits) under the load for a while before it is killed.
      for (let kill = 0; kill < 2; kill++) {
        await runUnderLoad(workload, 1_500);
        runtime.process.kill("SIGKILL");
        await runtime.exited;
        await waitForSteps(workload, workload.steps + 150);
        // The killed run's status file still says streaming: wait for the new run's own.
        rmSync(join(runtime.stateDir, "status.json"), { force: true });
        runtime = await startChild(base);
      }
      await runUnderLoad(workload, 1_500);
      await workload.stop();

      // Everything committed so far, once the last change is in: a repeat would be an extra message.
      await readTopic(topic, workload.steps, 60_000);
      const changes = decodeChanges("canal-json", await readCommitted(topic));
      expect(changes.filter((c) => c.type !== "DELETE").map((c) => Number(c.after?.n))).toEqual(workload.written);
      expect(new Set(changes.filter((c) => c.type === "DELETE").map((c) => Number(c.before?.id)))).toEqual(workload.deleted);
      expect(changes).toHaveLength(workload.steps);
      const state = finalState(changes);
      expect(Object.fromEntries([...workload.expected].map(([id]) => [id, state.get(id)]))).toEqual(Object.fromEntries(workload.expected));

      expect(await stopChild(runtime)).toBe(0);
      runtime = null;
      const [checkpoint] = (await readCommitted(checkpointTopic)).slice(-1);
      expect(JSON.parse(String(checkpoint?.value))).toMatchObject({ pipeline: pipeline.name });
    } finally {
      await workload.stop();
      await writer.end();
      if (runtime) await stopChild(runtime);
    }
  }, 240_000);
});
