// Applying a changed spec to a running pipeline (SIGHUP, `dts reload`). The caller decides what
// the change is and whether it may be applied (compiling the specs, comparing the plans); this
// module applies the verdict: live at one binlog position in the running session, or by ending
// the session at its checkpoint and starting the next one on the new spec. Every outcome goes
// to the log and to the status file.
import type { Pipeline } from "../generated/plan.js";
import type { BinlogResumePosition } from "./checkpoint/checkpoint.js";
import type { PipelineConnections } from "./connections.js";
import { describeError } from "./errors.js";
import type { Logger } from "./logger.js";
import { LiveChangeRefused, type StreamingSession } from "./session/streaming-session.js";

/** How a running pipeline takes a change: live in its session, by a new session, or not at all (nothing changed). */
export type ReloadHow = "live" | "restart" | "unchanged";

export type ReloadVerdict =
  | { ok: false; reason: string; hint: string | null }
  | { ok: true; pipeline: Pipeline; connections: PipelineConnections; how: ReloadHow; changes: string[] };

/** The pipeline as it runs now. */
export interface RunningPipeline {
  pipeline: Pipeline;
  connections: PipelineConnections;
}

/** Reads the specs again and judges the change for one pipeline; `allowBreaking` lets consumer-breaking changes through. */
export type ReloadSpec = (running: RunningPipeline, allowBreaking: boolean) => Promise<ReloadVerdict>;

/** One reload request and what came of it, as the status file keeps it. */
export interface SpecChangeRecord {
  requestedAt: string;
  result: "applied" | "refused" | "failed" | "unchanged";
  how: ReloadHow | null;
  /** Where the change took effect: units after it are sent the new way. */
  position: BinlogResumePosition | null;
  changes: string[];
  added: string[];
  removed: string[];
  reason: string | null;
  hint: string | null;
}

/** What the pipeline runner lends the reload. */
export interface ReloadTarget {
  session(): StreamingSession | null;
  /** The pipeline the next session runs. */
  adopt(pipeline: Pipeline, connections: PipelineConnections): void;
  /** Ends the session at its checkpoint so the next one starts on the adopted spec; resolves with the checkpoint. */
  restartSession(): Promise<BinlogResumePosition | null>;
  log: Logger;
}

/** What the pipeline runner gives its reloads. */
export interface ReloadHooks extends Omit<ReloadTarget, "restartSession"> {
  reload: ReloadSpec | undefined;
  current(): RunningPipeline;
  /** Ends the running session (not the pipeline). */
  stopSession(): void;
  /** Keeps the outcome (status file). */
  record(change: SpecChangeRecord): void;
}

/** One reload at a time for one pipeline, and the session restart a reload may ask for. */
export class SpecReloader {
  readonly #hooks: ReloadHooks;
  #busy = false;
  /** A request that came while one was applied (true when either allowed breaking changes). */
  #queued: boolean | null = null;
  #restarted: ((position: BinlogResumePosition | null) => void) | null = null;

  constructor(hooks: ReloadHooks) {
    this.#hooks = hooks;
  }

  /** True when the session that just ended was ended by a reload: the next one starts on the new spec. */
  get restartPending(): boolean {
    return this.#restarted !== null;
  }

  /** Called by the runner once the session a reload ended has saved its checkpoint. */
  sessionRestarted(position: BinlogResumePosition | null): void {
    this.#restarted?.(position);
    this.#restarted = null;
  }

  request(allowBreaking: boolean): void {
    const hooks = this.#hooks;
    // One that comes while another is applied runs right after it, so that it gets an answer.
    if (this.#busy) {
      this.#queued = (this.#queued ?? false) || allowBreaking;
      return void hooks.log.info("a spec reload is being applied; this one follows it");
    }
    if (!hooks.reload) return hooks.record({ ...emptyRecord(), reason: "this run has no spec files to read again", hint: "run the pipeline from spec files rather than --plan to reload it" });
    this.#busy = true;
    const target: ReloadTarget = {
      ...hooks,
      restartSession: () =>
        new Promise((resolve) => {
          this.#restarted = resolve;
          hooks.stopSession();
        }),
    };
    void reloadPipeline(target, hooks.reload, hooks.current(), allowBreaking).then((record) => {
      this.#busy = false;
      hooks.record(record);
      const queued = this.#queued;
      this.#queued = null;
      if (queued !== null) this.request(queued);
    });
  }
}

function emptyRecord(): SpecChangeRecord {
  return { requestedAt: new Date().toISOString(), result: "refused", how: null, position: null, changes: [], added: [], removed: [], reason: null, hint: null };
}

export async function reloadPipeline(target: ReloadTarget, reload: ReloadSpec, running: RunningPipeline, allowBreaking: boolean): Promise<SpecChangeRecord> {
  const record = emptyRecord();
  try {
    const verdict = await reload(running, allowBreaking);
    if (!verdict.ok) return logged(target.log, { ...record, reason: verdict.reason, hint: verdict.hint });
    Object.assign(record, { how: verdict.how, changes: verdict.changes });
    if (verdict.how === "unchanged") return logged(target.log, { ...record, result: "unchanged" });
    const session = target.session();
    if (verdict.how === "live") {
      if (!session?.streaming) return logged(target.log, { ...record, reason: "the pipeline is not streaming right now", hint: "reload again once dts status shows it streaming" });
      const applied = await session.applyLive(verdict.pipeline);
      target.adopt(verdict.pipeline, verdict.connections);
      return logged(target.log, { ...record, result: "applied", position: applied.position, added: applied.added, removed: applied.removed });
    }
    target.adopt(verdict.pipeline, verdict.connections);
    const position = session ? await target.restartSession() : null;
    return logged(target.log, { ...record, result: "applied", position });
  } catch (error) {
    const hint = error instanceof Error && "hint" in error && typeof error.hint === "string" ? error.hint : null;
    return logged(target.log, { ...record, result: error instanceof LiveChangeRefused ? "refused" : "failed", reason: describeError(error), hint });
  }
}

function logged(log: Logger, record: SpecChangeRecord): SpecChangeRecord {
  const fields = { result: record.result, how: record.how, position: record.position, changes: record.changes, added: record.added, removed: record.removed, reason: record.reason, hint: record.hint };
  if (record.result === "applied" || record.result === "unchanged") log.info(fields, record.result === "applied" ? "spec change applied" : "spec reloaded: nothing changed");
  else log.warn(fields, `spec change ${record.result}`);
  return record;
}
