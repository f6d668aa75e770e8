// Workers of a group (`dts run --group`) as separate processes, for the group tests: the spec
// of one pipeline per database, starting and killing workers, and waiting for the group (as
// `dts status --group` sees it) to settle on an assignment.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { compile } from "../../src/compiler/index.js";
import type { ExecutionPlan } from "../../src/generated/plan.js";
import { createLogger } from "../../src/runtime/index.js";
import { observeGroup, type GroupReport } from "../../src/status/group-status.js";
import { dts, type CliProcess } from "./cli-process.js";
import { decodeChanges, readCommitted, readTopic, stackEnv } from "./runtime-helpers.js";
import { finalState, type NumberedWorkload } from "./numbered-workload.js";

export const SESSION_TIMEOUT_S = 6;

export interface GroupPipeline {
  name: string;
  database: string;
  topic: string;
}

/** One pipeline per database, all keeping checkpoints in `checkpointTopic`; written to a spec file. */
export function writeGroupSpec(pipelines: readonly GroupPipeline[], checkpointTopic: string): { path: string; plan: ExecutionPlan } {
  const stateDir = mkdtempSync(join(tmpdir(), "dts-group-state-"));
  const text = pipelines.map((p, i) => pipelineSpec(p, checkpointTopic, stateDir, i)).join("\n");
  const path = join(mkdtempSync(join(tmpdir(), "dts-group-spec-")), "group.dts");
  writeFileSync(path, text);
  const compiled = compile([{ file: path, text }], { group: true });
  if (!compiled.plan) throw new Error(`the group spec does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  return { path, plan: compiled.plan };
}

function pipelineSpec(p: GroupPipeline, checkpointTopic: string, stateDir: string, i: number): string {
  return `pipeline "${p.name}" {
  format       = canal-json
  initial_sync = false
  source mysql {
    host      = env("MYSQL_HOST")
    port      = env("MYSQL_PORT")
    user      = env("MYSQL_USER")
    password  = env("MYSQL_PASSWORD")
    server_id = ${41000 + i + Math.floor(Math.random() * 500) * 10}
    timezone  = "+00:00"
  }
  destination kafka {
    brokers = ["${stackEnv().KAFKA_BROKERS}"]
    topic   = "${p.topic}"
    create_topics = true
  }
  checkpoint {
    directory = "${stateDir}"
    topic     = "${checkpointTopic}"
  }
  database "${p.database}" {
    table "items" {}
  }
}
`;
}

export class Workers {
  readonly #processes = new Map<string, CliProcess>();
  /** Every worker process's stderr ends up here (killed ones too), for a failure to be read after. */
  readonly logDir = mkdtempSync(join(tmpdir(), "dts-group-logs-"));
  #runs = 0;
  #stopped = "";

  constructor(
    readonly group: string,
    readonly spec: { path: string; plan: ExecutionPlan },
  ) {}

  start(worker: string): void {
    const args = ["run", "--group", this.group, "--worker-id", worker, "--session-timeout", `${SESSION_TIMEOUT_S}s`, this.spec.path];
    const cli = dts(args, { ...process.env, ...stackEnv(), DTS_LOG_LEVEL: "info" });
    const log = join(this.logDir, `${++this.#runs}-${worker}.log`);
    void cli.finished.then(({ stderr }) => writeFileSync(log, stderr));
    this.#processes.set(worker, cli);
  }

  process(worker: string): CliProcess {
    const found = this.#processes.get(worker);
    if (!found) throw new Error(`no worker ${worker}`);
    return found;
  }

  async kill(worker: string): Promise<void> {
    const cli = this.process(worker);
    cli.child.kill("SIGKILL");
    await cli.finished;
    this.#processes.delete(worker);
  }

  /** Stops every worker with SIGTERM; their exit codes, or what kept one from exiting by itself (cli/exit.ts). */
  async stopAll(): Promise<Record<string, number | string | null>> {
    const codes: Record<string, number | string | null> = {};
    await Promise.all(
      [...this.#processes].map(async ([worker, cli]) => {
        cli.child.kill("SIGCONT");
        cli.child.kill("SIGTERM");
        const { code, stderr } = await cli.finished;
        // cli/exit.ts's line, not a log line that happens to say "stayed open" (the fencing error does).
        const lingered = stderr.split("\n").find((l) => /^dts: the command ended .* stayed open; exiting anyway/.test(l));
        codes[worker] = lingered ? `${code}, but only after: ${lingered}` : code;
      }),
    );
    this.#stopped = this.stderr();
    this.#processes.clear();
    return codes;
  }

  /** The end of every worker's stderr (of the last ones stopped, once stopAll() ran). */
  stderr(): string {
    if (this.#processes.size === 0) return this.#stopped;
    return [...this.#processes].map(([worker, cli]) => `--- ${worker}\n${cli.stderr().slice(-4000)}`).join("\n");
  }

  async report(): Promise<GroupReport> {
    return observeGroup(this.spec.plan, this.group, { brokers: [stackEnv().KAFKA_BROKERS as string], clientId: "dts-test-group-status" }, createLogger({ level: "silent" }));
  }

  /** Waits until the group is stable with exactly `workers`, each pipeline streaming on one of them, and returns who runs what. */
  async settled(workers: readonly string[], timeoutMs = 60_000): Promise<Map<string, string[]>> {
    const deadline = Date.now() + timeoutMs;
    let last: GroupReport | null = null;
    for (;;) {
      last = await this.report().catch(() => null);
      const byWorker = new Map<string, string[]>(workers.map((w) => [w, []]));
      const ok =
        last !== null &&
        last.state === "Stable" &&
        [...last.workers].sort().join() === [...workers].sort().join() &&
        last.pipelines.every((p) => p.worker !== null && workers.includes(p.worker) && p.status?.phase === "streaming" && byWorker.get(p.worker)?.push(p.pipeline) !== undefined);
      if (ok) return byWorker;
      if (Date.now() > deadline) throw new Error(`the group never settled on ${workers.join(", ")}; last: ${JSON.stringify(last?.pipelines.map((p) => [p.pipeline, p.worker, p.status?.phase]))} ${last?.state}\n${this.stderr()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** A read_committed reader sees exactly what the load wrote to the pipeline's table, once each and in order. */
export async function expectExactlyOnce(pipeline: GroupPipeline, workload: NumberedWorkload, logDir: string): Promise<void> {
  // Wait until everything is in; then a repeat would show as an extra message.
  await readTopic(pipeline.topic, workload.steps, 60_000);
  const changes = decodeChanges("canal-json", await readCommitted(pipeline.topic));
  expect(changes.filter((c) => c.type !== "DELETE").map((c) => Number(c.after?.n)), `${pipeline.name}: every insert and update once, in order (workers' logs in ${logDir})`).toEqual(workload.written);
  expect(new Set(changes.filter((c) => c.type === "DELETE").map((c) => Number(c.before?.id))), `${pipeline.name}: every delete`).toEqual(workload.deleted);
  expect(changes, `${pipeline.name}: no change twice`).toHaveLength(workload.steps);
  const state = finalState(changes);
  expect(Object.fromEntries([...workload.expected].map(([id]) => [id, state.get(id)]))).toEqual(Object.fromEntries(workload.expected));
}
