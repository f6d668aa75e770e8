// Fencing with exactly-once delivery: a run frozen with SIGSTOP while a second run of the same
// pipeline (another machine: another state folder, the same checkpoint topic) takes over must,
// once thawed, get none of its writes into what read_committed consumers see, and stop with
// DTS5015 instead of writing on.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExecutionPlan, Pipeline } from "../../src/generated/plan.js";
import { finalState, NumberedWorkload } from "./numbered-workload.js";
import { decodeChanges, pipelinePlan, readCommitted, readStatus, readTopic, rootConnection, rule, startChild, stopChild, uniqueName, waitForStatus, type ChildRuntime } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const prefilled = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("exactly-once fencing", () => {
  const { database, db } = useTestDatabase("fence");

  function onMachine(plan: ExecutionPlan): ExecutionPlan {
    const pipeline = plan.pipelines[0] as Pipeline;
    return { ...plan, pipelines: [{ ...pipeline, checkpoint: { ...pipeline.checkpoint, directory: mkdtempSync(join(tmpdir(), "dts-fence-")) } }] };
  }

  it("a thawed zombie writes nothing visible and stops fenced, while the run that took over delivers every change once", async () => {
    await db().query(`CREATE TABLE ${database}.items (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB`);
    await db().query(`INSERT INTO ${database}.items SELECT seq, 0 FROM ${database}.seq_1_to_${prefilled}`);
    const topic = uniqueName("fence");
    const plan = pipelinePlan(uniqueName("fence"), topic, [rule(database, "items")], { delivery: "exactly-once" });
    (plan.pipelines[0] as Pipeline).checkpoint.topic = uniqueName("fence-checkpoints");
    const writer = await rootConnection();
    const workload = new NumberedWorkload(writer, `${database}.items`, prefilled);
    const zombie = await startChild(onMachine(plan));
    let successor: ChildRuntime | null = null;
    try {
      workload.start();
      await sleep(1_500);
      zombie.process.kill("SIGSTOP");
      await sleep(300);
      successor = await startChild(onMachine(plan));
      await sleep(1_500);
      zombie.process.kill("SIGCONT");
      // The zombie had batches and a transaction open; the broker refuses them for the old epoch.
      // Whichever it meets first, the dropped binlog stream or the refused batches, it stops.
      const failed = await waitForStatus(zombie, (s) => s.phase === "failed" || s.phase === "retrying", 60_000);
      expect(`${failed.phase}: ${failed.error?.message}`).toMatch(/^failed: .*(newer epoch|server_id)/);
      expect((failed.error as { code?: string } | null)?.code).toBe("DTS5015");
      await sleep(1_000);
      await workload.stop();

      await readTopic(topic, workload.steps, 60_000);
      const changes = decodeChanges("canal-json", await readCommitted(topic));
      expect(changes.filter((c) => c.type !== "DELETE").map((c) => Number(c.after?.n))).toEqual(workload.written);
      expect(changes).toHaveLength(workload.steps);
      const state = finalState(changes);
      expect(Object.fromEntries([...workload.expected].map(([id]) => [id, state.get(id)]))).toEqual(Object.fromEntries(workload.expected));
      expect(await stopChild(successor)).toBe(0);
      successor = null;
      expect(readStatus(zombie.stateDir)?.phase).toBe("failed");
    } finally {
      await workload.stop();
      await writer.end();
      zombie.process.kill("SIGCONT");
      if (successor) await stopChild(successor);
      await stopChild(zombie).catch(() => undefined);
      rmSync(zombie.stateDir, { recursive: true, force: true });
    }
  }, 240_000);
});
