// Runs one pipeline of a plan: sessions one after another, a new one after each retriable
// failure, until a stop signal, a fatal error, or a retry window (retry-window.ts) that runs
// out. Keeps the status file and the checkpoint store current.
import type { ExecutionPlan, Pipeline } from "../generated/plan.js";
import { checkpointAt, type Checkpoint } from "./checkpoint/checkpoint.js";
import { recordAppliedSpec } from "./checkpoint/applied-spec.js";
import { pipelineStateDir } from "./checkpoint/file-store.js";
import { PipelineCheckpoints } from "./checkpoint/pipeline-checkpoints.js";
import { CheckpointWrites } from "./checkpoint/write-failures.js";
import type { SafePoint } from "./checkpoint/tracker.js";
import { takeControlRequest } from "../control/index.js";
import { DelayMeter } from "./delay.js";
import { asRuntimeError, describeError, type RuntimeError } from "./errors.js";
import { CatchUpFinish } from "./catch-up-finish.js";
import { Lifecycle, phaseLogLevel, type Phase } from "./lifecycle.js";
import type { Logger } from "./logger.js";
import { Backoff, RetryWindow } from "./retry-window.js";
import { waitUntil } from "./session/session-signals.js";
import { StreamingSession, type SessionDeps } from "./session/streaming-session.js";
import { SourceServers } from "./source/source-servers.js";
import { SpecReloader, type ReloadSpec } from "./spec-reload.js";
import { selectionOf, type Selection } from "./select/selection.js";
import { keepSpecChange, type PipelineStatus } from "./status.js";
import { StatusFile } from "./status-file.js";

export interface PipelineDeps extends Omit<SessionDeps, "pipeline"> {
  /** Milliseconds between checkpoint/status writes. */
  flushIntervalMs: number;
  /** Passed once before the first session (dts run's precheck); a retriable error is a failed attempt of the retry window. */
  startCheck?: ((pipelineName: string) => Promise<void>) | undefined;
  /** Reads the specs again for SIGHUP and `dts reload`; without it a reload is refused. */
  reload?: ReloadSpec | undefined;
}

export interface PipelineResult {
  phase: Extract<Phase, "stopped" | "finished" | "failed">;
  error: RuntimeError | null;
}

export class PipelineRunner {
  readonly lifecycle = new Lifecycle();
  #pipeline: Pipeline;
  #deps: PipelineDeps;
  readonly #log: Logger;
  readonly #stateDir: string;
  readonly #checkpoints: PipelineCheckpoints;
  readonly #checkpointWrites: CheckpointWrites;
  #session: StreamingSession | null = null;
  #stopRequested = false;
  readonly #catchUp: CatchUpFinish;
  readonly #retries: RetryWindow;
  readonly #backoff = new Backoff();
  #startCheck: PipelineDeps["startCheck"];
  readonly #statusFile: StatusFile;
  readonly #reloads: SpecReloader;
  readonly #servers: SourceServers;

  constructor(plan: ExecutionPlan, index: number, deps: PipelineDeps) {
    this.#pipeline = plan.pipelines[index] as Pipeline;
    this.#deps = deps;
    this.#startCheck = deps.startCheck;
    this.#log = deps.log.child({ pipeline: this.#pipeline.name });
    this.#stateDir = pipelineStateDir(this.#pipeline.checkpoint.directory, this.#pipeline.name);
    this.#checkpoints = new PipelineCheckpoints(this.#pipeline, this.#log);
    this.#checkpointWrites = new CheckpointWrites(this.#log);
    recordAppliedSpec(this.#stateDir, this.#pipeline, this.#log);
    this.#catchUp = new CatchUpFinish(this.#pipeline);
    this.#retries = new RetryWindow(this.#pipeline.retryWindowSeconds);
    this.#servers = new SourceServers(deps.connections.sourceServers, this.#checkpoints.current?.sourceServer);
    const delay = new DelayMeter(this.#pipeline.maxDelaySeconds ?? null, deps.metrics);
    this.#statusFile = new StatusFile(this.#stateDir, this.#pipeline.name, this.#checkpoints.current, delay, this.#log);
    this.#reloads = new SpecReloader({
      reload: deps.reload,
      current: () => ({ pipeline: this.#pipeline, connections: this.#deps.connections }),
      session: () => this.#session,
      adopt: (pipeline, connections) => this.#adopt(pipeline, connections),
      stopSession: () => this.#session?.requestStop(),
      record: (change) => {
        keepSpecChange(this.#status, change);
        this.#statusFile.write(this.#session);
      },
      log: this.#log,
    });
    this.lifecycle.onChange((to, from, reason) => {
      this.#log[phaseLogLevel(to)]({ from, to, ...(reason ? { reason } : {}) }, `pipeline ${to}`);
      this.#status.phase = to;
      this.#statusFile.write(this.#session);
    });
  }

  get stateDir(): string {
    return this.#stateDir;
  }

  /** The status as last written to the status file. */
  /** What /status serves: the status file's content, the running session's messages counted. */
  get status(): PipelineStatus {
    return this.#statusFile.current();
  }

  get #status(): PipelineStatus { return this.#statusFile.status; }

  /** Where this process serves /status and /metrics; recorded in the status file for `dts status`. */
  setHttpEndpoint(http: { host: string; port: number }): void {
    this.#status.http = http;
  }

  /** Ends the pipeline with phase finished once the delay is zero and every message is acknowledged. */
  requestFinishWhenCaughtUp(): void {
    if (this.#catchUp.request()) this.#log.info("will finish once caught up with the source");
  }

  /** Reads the specs again and applies what changed for this pipeline (SIGHUP, `dts reload`). */
  requestReload(allowBreaking: boolean): void {
    if (!this.#stopRequested) this.#reloads.request(allowBreaking);
  }

  /** Asks the pipeline to flush, checkpoint and stop; run() then resolves with phase stopped. */
  requestStop(): void {
    if (this.#stopRequested) return;
    this.#stopRequested = true;
    if (this.lifecycle.canTransition("stopping")) this.lifecycle.transition("stopping", "stop requested");
    this.#session?.requestStop();
    this.#backoff.wake();
  }

  async run(): Promise<PipelineResult> {
    const timer = setInterval(() => this.#tick(), this.#deps.flushIntervalMs);
    try {
      return await this.#runSessions();
    } finally {
      clearInterval(timer);
      await this.#checkpoints.closePublisher();
    }
  }

  async #runSessions(): Promise<PipelineResult> {
    const retries = this.#retries;
    try {
      this.#checkpoints.openPublisher(this.#pipeline, this.#deps.connections.kafka);
      for (;;) {
        const ended = await this.#attempt(retries);
        if (ended) return ended;
      }
    } catch (error) {
      return this.#end("failed", asRuntimeError(error));
    }
  }

  /** One attempt: the start check until it has passed, then a session; null when another attempt follows. */
  async #attempt(retries: RetryWindow): Promise<PipelineResult | null> {
    let session: StreamingSession | null = null;
    try {
      // The start check until it has passed once.
      await this.#startCheck?.(this.#pipeline.name);
      this.#startCheck = undefined;
      await this.#resumeOnCheckpointServer();
      if (this.#stopRequested) return this.#end("stopped", null);
      const started = (session = this.#session = this.#newSession());
      const running = started.run();
      await waitUntil(() => started.streaming || this.#stopRequested, running);
      if (started.streaming) this.#servers.reached();
      if (started.streaming && this.lifecycle.phase === "starting") this.lifecycle.transition(started.snapshotting ? "snapshotting" : "streaming");
      await running;
      const notWritten = this.#finishStatus(started);
      if (notWritten) return this.#end("failed", notWritten);
      if (this.#reloads.restartPending && !this.#stopRequested) return this.#restarted();
      return this.#end(this.#catchUp.finishing ? "finished" : "stopped", null);
    } catch (error) {
      if (session) this.#finishStatus(session);
      this.#reloads.sessionRestarted(this.#checkpoints.current?.position ?? null);
      return this.#retryOrEnd(asRuntimeError(error), session?.progress.moved ?? false, retries);
    }
  }

  /** Takes a reloaded spec: the next session runs it, and the runner's own settings follow it now. */
  #adopt(pipeline: Pipeline, connections: PipelineDeps["connections"]): void {
    const topicMoved = pipeline.checkpoint.topic !== this.#pipeline.checkpoint.topic;
    this.#pipeline = pipeline;
    recordAppliedSpec(this.#stateDir, pipeline, this.#log);
    this.#deps = { ...this.#deps, connections };
    this.#servers.adopt(connections.sourceServers);
    this.#retries.windowSeconds = pipeline.retryWindowSeconds;
    this.#catchUp.adopt(pipeline);
    if (!topicMoved) return;
    void this.#checkpoints.closePublisher();
    this.#checkpoints.openPublisher(pipeline, connections.kafka);
  }

  /** After a session a reload ended: the next one starts on the new spec from the checkpoint. */
  #restarted(): null {
    this.#reloads.sessionRestarted(this.#checkpoints.current?.position ?? null);
    if (this.lifecycle.canTransition("starting")) this.lifecycle.transition("starting", "the spec changed");
    return null;
  }

  /**
   * A pipeline that starts without a checkpoint in its state folder (a group's new worker)
   * takes the checkpoint topic's, so that it resumes on the server that checkpoint was read from.
   */
  async #resumeOnCheckpointServer(): Promise<void> {
    if (this.#checkpoints.current) return;
    const found = await this.#checkpoints.loadFromTopic(this.#pipeline, this.#deps.connections.kafka);
    if (found) this.#servers.resumeOn(found.sourceServer);
  }

  #newSession(): StreamingSession {
    const source = this.#servers.current;
    this.#catchUp.sessionStarted();
    this.#status.source = source.address;
    // A point that names no selection is the session's own: a reload adopts the next session's
    // spec before this one saves its last checkpoint, which must not claim the added tables.
    const selection = selectionOf(this.#pipeline.objects);
    return new StreamingSession({ ...this.#deps, connections: { ...this.#deps.connections, source }, pipeline: this.#pipeline }, {
      current: () => this.#checkpoints.current,
      adopt: (checkpoint) => this.#checkpoints.adopt(checkpoint),
      save: (point, counts) => this.#saveCheckpoint(point, counts, selection),
      describe: (point, counts) => this.#checkpointFor(point, counts, selection),
    });
  }

  /** After a failed session: the result that ends the pipeline, or null when the next session may start. */
  async #retryOrEnd(failure: RuntimeError, progressed: boolean, retries: RetryWindow): Promise<PipelineResult | null> {
    if (this.#stopRequested) return this.#end("stopped", null);
    if (!failure.retriable) return this.#end("failed", failure);
    this.#deps.metrics?.recordRetry(failure.code);
    const attempt = retries.fail(progressed);
    if (attempt.expired) return this.#end("failed", retries.exhausted(failure));
    this.#status.retry = { since: new Date(attempt.since).toISOString(), deadline: new Date(attempt.deadline).toISOString(), attempts: attempt.attempts };
    this.#status.error = { message: describeError(failure), hint: failure.hint ?? null, code: failure.problemCode };
    this.lifecycle.transition("retrying", `${describeError(failure)}; retrying until ${this.#status.retry.deadline}`);
    const move = this.#servers.afterFailure(failure);
    if (move.moved) this.#log.warn({ from: move.from, to: move.to }, `the source server ${move.from} cannot be reached; moving to ${move.to}`);
    await this.#backoff.wait(move.moved && move.untried ? 0 : retries.backoffMs(attempt));
    if (this.#stopRequested) return this.#end("stopped", null);
    this.lifecycle.transition("starting", `attempt ${attempt.attempts + 1}`);
    return null;
  }

  #end(phase: PipelineResult["phase"], error: RuntimeError | null): PipelineResult {
    this.#status.error = error ? { message: describeError(error), hint: error.hint ?? null, code: error.problemCode } : null;
    if (error) this.#deps.metrics?.recordError(error.code);
    if (phase !== "failed") this.#status.retry = null;
    if (phase !== "failed" && this.lifecycle.phase !== "stopping") this.lifecycle.transition("stopping");
    this.lifecycle.transition(phase, error ? describeError(error) : undefined);
    return { phase, error };
  }

  #checkpointFor(point: SafePoint, partitionCounts: Record<string, number>, selection: Selection): Checkpoint {
    // The session's server once it connected; before, the server of the checkpoint it resumes.
    const serverId = this.#session?.sourceServerId ?? null;
    const server = serverId !== null ? { sourceServerId: serverId, sourceServer: this.#status.source ?? undefined } : this.#checkpoints.current;
    return checkpointAt(this.#pipeline.name, point, partitionCounts, selection, server);
  }

  #saveCheckpoint(point: SafePoint, partitionCounts: Record<string, number>, selection: Selection): void {
    const checkpoint = this.#checkpointFor(point, partitionCounts, selection);
    this.#checkpoints.save(checkpoint, this.#pipeline.checkpoint.topic ?? null);
    this.#status.checkpoint = { position: point.position, eventTime: point.eventTimeSeconds ? new Date(point.eventTimeSeconds * 1000).toISOString() : null };
    this.#deps.metrics?.recordCheckpoint();
  }

  /** Writes the session's last checkpoint; a failure to is logged and returned. */
  #finishStatus(session: StreamingSession): RuntimeError | null {
    const notWritten = this.#checkpointWrites.last(() => session.saveCheckpoint());
    this.#session = null;
    this.#statusFile.sessionEnded(session);
    return notWritten;
  }

  #tick(): void {
    this.#applyControlRequest();
    const session = this.#session;
    if (!session) return;
    const notWritten = this.#checkpointWrites.attempt(() => session.saveCheckpoint()) ?? this.#checkpoints.copyProblem;
    // Streaming clears an earlier outage's error; a checkpoint not written shows in any phase.
    if (session.streaming || notWritten) this.#status.error = notWritten;
    if (session.streaming) {
      this.#status.retry = null;
      if (this.lifecycle.phase === "snapshotting" && !session.snapshotting) this.lifecycle.transition("streaming", "initial sync complete");
    }
    this.#statusFile.write(session);
    this.#finishIfCaughtUp(session);
  }

  #applyControlRequest(): void {
    const request = takeControlRequest(this.#stateDir, this.#log);
    if (request?.action === "stop") this.requestStop();
    else if (request?.action === "finish-when-caught-up") this.requestFinishWhenCaughtUp();
    else if (request?.action === "reload") this.requestReload(request.allowBreaking === true);
  }

  #finishIfCaughtUp(session: StreamingSession): void {
    if (this.#stopRequested || !this.#catchUp.due(session.caughtUp, session.tracker?.safe?.position ?? null, session.serverPosition)) return;
    this.#log.info("caught up with the source and every message is acknowledged: finishing");
    this.requestStop();
  }

}

