// A pipeline's status file, kept current: the runner changes `status` as things happen and
// calls write(); rates, the delay and the running session's counts are worked out here.
import type { Checkpoint } from "./checkpoint/checkpoint.js";
import type { DelayFacts, DelayMeter } from "./delay.js";
import type { Logger } from "./logger.js";
import { describeError } from "./errors.js";
import { initialStatus, writeStatus, type PipelineStatus } from "./status.js";

/** What the status takes from the running session. */
export interface SessionCounts {
  readonly ackedMessages: number;
  readonly snapshotTotals: PipelineStatus["snapshot"];
  readonly delayFacts: DelayFacts | null;
}

/** A status file that cannot be written is said once a minute, not at every write (each second). */
const WARN_EVERY_MS = 60_000;

export class StatusFile {
  readonly status: PipelineStatus;
  #lastAcked = 0;
  /** Messages the running session had acknowledged at the last write; not yet in status.messagesTotal. */
  #sessionAcked = 0;
  #lastWriteAt = Date.now();
  /** When the failing writes were last logged; null while writes succeed. */
  #warnedAt: number | null = null;

  constructor(
    private readonly stateDir: string,
    pipelineName: string,
    checkpoint: Checkpoint | null,
    private readonly delay: DelayMeter,
    private readonly log: Logger,
  ) {
    this.status = { ...initialStatus(pipelineName, checkpoint), ...delay.update(null) };
  }

  /** A session ended: its acknowledged messages join the total. */
  sessionEnded(session: SessionCounts): void {
    this.status.messagesTotal += session.ackedMessages;
    this.#lastAcked = 0;
    this.#sessionAcked = 0;
    this.write(null);
  }

  /** The status as the file has it: the running session's messages counted (what /status serves). */
  current(): PipelineStatus {
    return { ...this.status, messagesTotal: this.status.messagesTotal + this.#sessionAcked };
  }

  write(session: SessionCounts | null): void {
    const now = Date.now();
    if (session) {
      const acked = session.ackedMessages;
      const seconds = Math.max(0.001, (now - this.#lastWriteAt) / 1000);
      this.status.eventsPerSecond = Math.round((acked - this.#lastAcked) / seconds);
      this.#lastAcked = acked;
      this.#sessionAcked = acked;
      this.status.snapshot = session.snapshotTotals;
    } else {
      // Between sessions nothing flows: the rate of the last one no longer holds.
      this.status.eventsPerSecond = 0;
    }
    Object.assign(this.status, this.delay.update(session?.delayFacts ?? null, now));
    this.#lastWriteAt = now;
    this.status.updatedAt = new Date(now).toISOString();
    try {
      writeStatus(this.stateDir, this.current());
    } catch (error) {
      if (this.#warnedAt === null || now - this.#warnedAt >= WARN_EVERY_MS) {
        this.#warnedAt = now;
        this.log.warn({ err: describeError(error) }, "cannot write the status file; dts status shows what the running process says (/status) or the last file written");
      }
      return;
    }
    if (this.#warnedAt !== null) this.log.info({}, "status file written again");
    this.#warnedAt = null;
  }
}
