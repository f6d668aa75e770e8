// Workers of a group sharing pipelines through the Kafka cluster's group coordinator, as
// separate `dts run --group` processes: six pipelines on six databases under a numbered load;
// workers are killed with SIGKILL one after another and started again, and one is frozen with
// SIGSTOP past its session timeout and thawed. Pipelines move to the live workers and back, and
// a read_committed consumer sees every change of every pipeline exactly once, in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type mysql from "mysql2/promise";
import { expectExactlyOnce, SESSION_TIMEOUT_S, Workers, writeGroupSpec, type GroupPipeline } from "./group-harness.js";
import { NumberedWorkload } from "./numbered-workload.js";
import { dts } from "./cli-process.js";
import { exportStackEnv, rootConnection, stackEnv, uniqueName } from "./runtime-helpers.js";

const prefilled = 20;

interface Loaded {
  pipeline: GroupPipeline;
  workload: NumberedWorkload;
  connection: mysql.Connection;
}

async function loadedPipelines(count: number, prefix: string): Promise<Loaded[]> {
  const loaded: Loaded[] = [];
  for (let i = 1; i <= count; i++) {
    const database = uniqueName(`${prefix}${i}`);
    const connection = await rootConnection();
    await connection.query(`CREATE DATABASE \`${database}\``);
    await connection.query(`CREATE TABLE \`${database}\`.items (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB`);
    await connection.query(`INSERT INTO \`${database}\`.items SELECT seq, 0 FROM \`${database}\`.seq_1_to_${prefilled}`);
    const pipeline = { name: `${prefix}${i}`, database, topic: uniqueName(`${prefix}${i}`) };
    loaded.push({ pipeline, workload: new NumberedWorkload(connection, `\`${database}\`.items`, prefilled), connection });
  }
  return loaded;
}

async function dropAll(loaded: Loaded[]): Promise<void> {
  for (const { workload, connection, pipeline } of loaded.splice(0)) {
    await workload.stop();
    await connection.query(`DROP DATABASE IF EXISTS \`${pipeline.database}\``);
    await connection.end();
  }
}

/** Lets the loads run for `ms`, checking that each kept writing. */
async function underLoad(loaded: readonly Loaded[], ms: number): Promise<void> {
  const before = loaded.map((l) => l.workload.steps);
  await new Promise((r) => setTimeout(r, ms));
  loaded.forEach((l, i) => expect(l.workload.steps - (before[i] as number), `${l.pipeline.name}'s load kept writing`).toBeGreaterThan(20));
}

/** `dts status --group` names the worker of each pipeline, and each worker's metrics carry its id. */
async function expectGroupStatus(workers: Workers, assignment: Map<string, string[]>): Promise<void> {
  const status = await dts(["status", "--group", workers.group, "--format", "json", workers.spec.path], { ...process.env, ...stackEnv() }).finished;
  expect(status.code, status.stderr).toBe(0);
  const shown = (JSON.parse(status.stdout) as { pipelines: { pipeline: string; worker: string; phase: string }[] }).pipelines;
  for (const [worker, pipelines] of assignment) for (const p of pipelines) expect(shown.find((s) => s.pipeline === p)).toMatchObject({ worker, phase: "streaming" });
  const report = await workers.report();
  for (const p of report.pipelines) {
    const http = p.status?.http;
    const known = `dts_delay_known{pipeline="${p.pipeline}",worker="${p.worker}"} 1`;
    // The delay is known from the pipeline's first event or heartbeat, which a loaded machine
    // may deliver a moment after the group settled.
    const deadline = Date.now() + 20_000;
    let metrics = "";
    for (;;) {
      metrics = await (await fetch(`http://${http?.host}:${http?.port}/metrics`)).text();
      if (metrics.includes(known) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(metrics).toContain(known);
  }
}

const counts = (assignment: Map<string, string[]>) => [...assignment.values()].map((p) => p.length).sort();

describe("a group of workers", () => {
  beforeAll(() => exportStackEnv());

  describe("three workers, six pipelines, two kill -9s", () => {
    let loaded: Loaded[] = [];
    let workers: Workers | null = null;
    afterAll(async () => {
      await workers?.stopAll();
      await dropAll(loaded);
    });

    it("moves pipelines off dead workers and back, and every change arrives exactly once", { timeout: 300_000 }, async () => {
      loaded = await loadedPipelines(6, "grp");
      const spec = writeGroupSpec(loaded.map((l) => l.pipeline), uniqueName("grp-checkpoints"));
      workers = new Workers(uniqueName("dts-group"), spec);
      for (const w of ["w1", "w2", "w3"]) workers.start(w);
      expect(counts(await workers.settled(["w1", "w2", "w3"]))).toEqual([2, 2, 2]);
      for (const l of loaded) l.workload.start();
      await underLoad(loaded, 2_000);

      await workers.kill("w1");
      const afterFirst = await workers.settled(["w2", "w3"], (SESSION_TIMEOUT_S + 30) * 1000);
      expect(counts(afterFirst)).toEqual([3, 3]);
      await underLoad(loaded, 2_000);
      await workers.kill("w2");
      expect(counts(await workers.settled(["w3"], (SESSION_TIMEOUT_S + 30) * 1000))).toEqual([6]);
      await underLoad(loaded, 2_000);

      // Back again: the returning workers take a share each; w3 keeps two of the six it runs.
      workers.start("w1");
      workers.start("w2");
      expect(counts(await workers.settled(["w1", "w2", "w3"]))).toEqual([2, 2, 2]);
      await underLoad(loaded, 2_000);
      for (const l of loaded) await l.workload.stop();

      for (const l of loaded) await expectExactlyOnce(l.pipeline, l.workload, workers.logDir);
      const codes = await workers.stopAll();
      expect(codes, workers.stderr()).toEqual({ w1: 0, w2: 0, w3: 0 });
    });
  });

  describe("a worker frozen past its session timeout", () => {
    let loaded: Loaded[] = [];
    let workers: Workers | null = null;
    afterAll(async () => {
      await workers?.stopAll();
      await dropAll(loaded);
    });

    it("loses its pipeline to the other worker, and nothing it sends once thawed becomes visible", async () => {
      loaded = await loadedPipelines(2, "zmb");
      const spec = writeGroupSpec(loaded.map((l) => l.pipeline), uniqueName("zmb-checkpoints"));
      workers = new Workers(uniqueName("dts-group"), spec);
      workers.start("w1");
      workers.start("w2");
      const before = await workers.settled(["w1", "w2"]);
      await expectGroupStatus(workers, before);
      for (const l of loaded) l.workload.start();
      await underLoad(loaded, 2_000);

      // Frozen mid-stream: batches and a transaction of its pipeline are in flight.
      const frozen = workers.process("w1");
      frozen.child.kill("SIGSTOP");
      const moved = await workers.settled(["w2"], (SESSION_TIMEOUT_S + 30) * 1000);
      expect(moved.get("w2")?.sort()).toEqual(loaded.map((l) => l.pipeline.name).sort());
      await underLoad(loaded, 2_000);
      frozen.child.kill("SIGCONT");
      // Thawed, it finds out it lost its place and joins again; the group shares out the pipelines anew.
      const after = await workers.settled(["w1", "w2"], (SESSION_TIMEOUT_S + 30) * 1000);
      expect(counts(after)).toEqual([1, 1]);
      expect(frozen.stderr()).toMatch(/lost its place in the group|DTS5015/);
      await underLoad(loaded, 1_000);
      for (const l of loaded) await l.workload.stop();

      for (const l of loaded) await expectExactlyOnce(l.pipeline, l.workload, workers.logDir);
      expect(before.size).toBe(2);
      const codes = await workers.stopAll();
      expect(codes, workers.stderr()).toEqual({ w1: 0, w2: 0 });
    }, 240_000);
  });
});
