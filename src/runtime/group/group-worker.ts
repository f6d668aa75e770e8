// A group worker's pipelines: it runs what the group assigns it and nothing else. A pipeline
// taken away is stopped (flush, last commit; if the new owner fenced it first, that commit is
// refused and what it held is aborted); one assigned again after it stopped starts afresh from
// the checkpoint in Kafka. Pipelines that stay keep running through every rebalance.
import type { PipelineRunner, PipelineResult } from "../pipeline.js";
import type { Logger } from "../logger.js";
import type { PipelineStatus } from "../status.js";

/** Starts the named pipeline; `done` resolves when it has stopped (or failed to start). */
export type StartPipeline = (name: string) => { runner: PipelineRunner | null; done: Promise<PipelineResult> };

interface Running {
  runner: PipelineRunner | null;
  done: Promise<PipelineResult>;
  stopRequested: boolean;
}

/** How long a pipeline fenced while still assigned here waits before it starts again. */
const FENCED_RESTART_MS = 3_000;

/**
 * Takeovers inside the group end after one or two fencings per rebalance. More within the
 * window mean a holder outside the group (a second group under another name, a lone run, a
 * binlog client with the pipeline's server_id): taking the pipeline back would go on for ever.
 */
const FENCED_TAKEBACKS = 5;
const FENCED_WINDOW_MS = 10 * 60_000;

export class GroupWorker {
  readonly #start: StartPipeline;
  readonly #log: Logger;
  #assigned = new Set<string>();
  readonly #running = new Map<string, Running>();
  /** The last status of pipelines that ended here by themselves (failed, finished), until started again. */
  readonly #ended = new Map<string, PipelineStatus>();
  readonly #restarts = new Set<NodeJS.Timeout>();
  /** When each pipeline was fenced while assigned here, within FENCED_WINDOW_MS. */
  readonly #fencings = new Map<string, number[]>();
  #closed = false;

  constructor(start: StartPipeline, log: Logger) {
    this.#start = start;
    this.#log = log;
  }

  /** Runs exactly `pipelines` from now on: stops the others, starts the new ones. */
  apply(pipelines: readonly string[]): void {
    if (this.#closed) return;
    this.#assigned = new Set(pipelines);
    for (const [name, running] of this.#running) {
      if (this.#assigned.has(name) || running.stopRequested) continue;
      this.#log.info({ pipeline: name }, "the group moved the pipeline to another worker; stopping it here");
      running.stopRequested = true;
      running.runner?.requestStop();
    }
    // A pipeline that ended here by itself stays ended while the group leaves it here; one the
    // group moved away is the new owner's to run and to report.
    for (const name of this.#ended.keys()) if (!this.#assigned.has(name)) this.#ended.delete(name);
    for (const name of this.#assigned) if (!this.#running.has(name) && !this.#ended.has(name)) this.#launch(name);
  }

  /**
   * What this worker runs and keeps running, with the pipelines that ended here by themselves
   * (failed, finished): counted as its own, the group's sticky assignment leaves them here
   * rather than start them on another worker, where a failed one would fail again.
   */
  owned(): string[] {
    const running = [...this.#running].filter(([, r]) => !r.stopRequested).map(([name]) => name);
    return [...running, ...[...this.#ended.keys()].filter((name) => this.#assigned.has(name))];
  }

  /** The status of each pipeline running here, then of those that ended here by themselves. */
  statuses(): PipelineStatus[] {
    const live = [...this.#running.values()].flatMap((r) => (r.runner ? [r.runner.status] : []));
    return [...live, ...this.#ended.values()];
  }

  /** Stops every pipeline and resolves once they have all stopped. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#restarts) clearTimeout(timer);
    this.#assigned = new Set();
    for (const running of this.#running.values()) {
      running.stopRequested = true;
      running.runner?.requestStop();
    }
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  #launch(name: string): void {
    this.#ended.delete(name);
    const { runner, done } = this.#start(name);
    const running: Running = { runner, done, stopRequested: false };
    this.#running.set(name, running);
    void done.then((result) => this.#onEnded(name, running, result));
  }

  #onEnded(name: string, running: Running, result: PipelineResult): void {
    this.#running.delete(name);
    if (this.#closed) return;
    const stillAssigned = this.#assigned.has(name);
    if (running.stopRequested) {
      if (stillAssigned) this.#launch(name);
      return;
    }
    if (running.runner) this.#ended.set(name, running.runner.status);
    // Fenced while the group still says it is ours: the other holder is on its way out (it lost
    // the group, or the group has not told it yet); take the pipeline back shortly.
    if (result.error?.code === "fenced" && stillAssigned) this.#takeBack(name);
  }

  #takeBack(name: string): void {
    const now = Date.now();
    const fencings = [...(this.#fencings.get(name) ?? []).filter((at) => now - at < FENCED_WINDOW_MS), now];
    this.#fencings.set(name, fencings);
    if (fencings.length > FENCED_TAKEBACKS) return this.#giveUp(name, fencings.length);
    this.#log.warn({ pipeline: name }, `another process took the pipeline over while the group assigns it here; starting it again in ${FENCED_RESTART_MS / 1000} s`);
    const timer = setTimeout(() => {
      this.#restarts.delete(timer);
      if (!this.#closed && this.#assigned.has(name) && !this.#running.has(name)) this.#launch(name);
    }, FENCED_RESTART_MS);
    this.#restarts.add(timer);
  }

  /** Leaves the pipeline failed here (and so, owned: the group starts it nowhere else). */
  #giveUp(name: string, fencings: number): void {
    const message = `pipeline ${name} was taken over ${fencings} times in ${FENCED_WINDOW_MS / 60_000} minutes while this group assigns it here: a process outside the group holds it (another group running the same spec, a lone dts run, or a binlog client using its server_id), and taking it back would go on for ever`;
    const hint = "stop the other holder (dts status shows lone runs; dts status --group shows groups), then restart this worker";
    this.#log.error({ pipeline: name, fencings }, `${message}; ${hint}`);
    const status = this.#ended.get(name);
    if (status) this.#ended.set(name, { ...status, phase: "failed", error: { message, hint, code: status.error?.code ?? "DTS5015" } });
  }
}
