// How far the pipeline is behind its source, as status, metrics and /readyz report it. The
// delay is only 0 when the pipeline is really caught up: the reader has handed over everything,
// Kafka acknowledged every message, and the server was heard from (an event or a binlog
// heartbeat) within the heartbeat period. When nothing tells the delay (no connection, no event
// with a commit time yet, a silent server) it is unknown, with the reason, never a made-up 0.
import type { PipelineMetrics } from "./observe/metrics.js";

/** What the running session knows; see StreamingSession.delayFacts. */
export interface DelayFacts {
  /** False while no stream is open. */
  streaming: boolean;
  /** The reader is idle, every message acknowledged and no initial sync runs. */
  caughtUp: boolean;
  snapshotting: boolean;
  /** Commit time (epoch seconds) of the oldest transaction not yet fully acknowledged; null when unknown or none. */
  oldestPendingSeconds: number | null;
  /** Commit time of the last delivered transaction, or when a heartbeat said nothing newer existed; null when unknown. */
  deliveredSeconds: number | null;
  /** Whether this session delivered anything yet (a commit, or a heartbeat's "nothing newer"); absent counts as yes. */
  deliveredInSession?: boolean;
  /** When the server last sent anything on the binlog connection (ms since the epoch). */
  lastContactAt: number | null;
  heartbeatPeriodSeconds: number;
}

export type Delay = { seconds: number; reason: null } | { seconds: null; reason: string };

/**
 * A caught-up reader counts as current while the last contact is at most 1.5 periods old: an
 * idle server sends a heartbeat every period, and the status is sampled about once a second.
 */
const contactSlack = 1.5;
/** Seconds a delivered time may lag while caught up: it is whole seconds, sampled every second. */
const wholeSecondSlack = 2;

const unknown = (reason: string): Delay => ({ seconds: null, reason });
const known = (seconds: number): Delay => ({ seconds: Math.max(0, Math.round(seconds)), reason: null });

export function measureDelay(facts: DelayFacts | null, nowMs: number): Delay {
  if (!facts?.streaming) return unknown("not connected to the source");
  const now = nowMs / 1000;
  if (facts.caughtUp) {
    if (facts.lastContactAt === null) return unknown("nothing received from the source yet");
    const silent = now - facts.lastContactAt / 1000;
    if (silent > contactSlack * facts.heartbeatPeriodSeconds) return unknown(`no event or heartbeat from the source for ${Math.round(silent)}s`);
    // An idle reader on a slow link waits for bytes the server wrote long ago: what it delivered
    // last (a commit, or a heartbeat saying nothing newer exists) tells how far behind it is.
    // Commit and heartbeat times are whole seconds, and status is sampled about once a second.
    const behind = facts.deliveredSeconds === null ? 0 : now - facts.deliveredSeconds;
    const current = behind <= contactSlack * facts.heartbeatPeriodSeconds + wholeSecondSlack;
    // What was delivered last came before this session (a restart, a reconnect after an outage):
    // its age is the outage's, not a delay; the first heartbeat or commit tells, within a period.
    if (!current && facts.deliveredInSession === false) return unknown("waiting for the source's first heartbeat in this session");
    return known(current ? 0 : behind);
  }
  if (facts.oldestPendingSeconds) return known(now - facts.oldestPendingSeconds);
  if (facts.deliveredSeconds) return known(now - facts.deliveredSeconds);
  return unknown(facts.snapshotting ? "the initial sync is copying tables; no binlog event with a commit time read yet" : "no binlog event with a commit time read yet");
}

/** The delay fields of the status file (and /status). */
export interface DelayStatus {
  /** Seconds behind the source; null when unknown (see delayReason). */
  delaySeconds: number | null;
  /** Why the delay is unknown; null when it is known. */
  delayReason: string | null;
  /** Since when the delay has been unknown (ISO time); null when known. */
  delayUnknownSince: string | null;
  /** The spec's max_delay: /readyz answers 503 above it; null when not set. */
  maxDelaySeconds: number | null;
}

/** Measures the delay at each status write and keeps the metrics in step with it. */
export class DelayMeter {
  readonly #maxDelaySeconds: number | null;
  readonly #metrics: PipelineMetrics | null | undefined;
  #unknownSince: number | null;

  constructor(maxDelaySeconds: number | null, metrics: PipelineMetrics | null | undefined, nowMs = Date.now()) {
    this.#maxDelaySeconds = maxDelaySeconds;
    this.#metrics = metrics;
    this.#unknownSince = nowMs;
  }

  update(facts: DelayFacts | null, nowMs = Date.now()): DelayStatus {
    const delay = measureDelay(facts, nowMs);
    this.#unknownSince = delay.seconds === null ? (this.#unknownSince ?? nowMs) : null;
    this.#metrics?.setDelaySeconds(delay.seconds);
    return {
      delaySeconds: delay.seconds,
      delayReason: delay.reason,
      delayUnknownSince: this.#unknownSince === null ? null : new Date(this.#unknownSince).toISOString(),
      maxDelaySeconds: this.#maxDelaySeconds,
    };
  }
}
