// The pipeline's phases and the only transitions allowed between them (kafkajs keeps a table
// like this for its consumer). Every change goes through `transition`, so an illegal jump is a
// bug that surfaces at once instead of a status file that lies.

export type Phase =
  | "starting"
  /** The initial sync copies tables while the binlog already streams (docs/initial-sync.md). */
  | "snapshotting"
  | "streaming"
  | "retrying"
  | "stopping"
  | "stopped"
  /** A migration that caught up with the source and ended as asked (`dts stop --when-caught-up`). */
  | "finished"
  | "failed";

export const allowedTransitions: Readonly<Record<Phase, readonly Phase[]>> = {
  starting: ["snapshotting", "streaming", "retrying", "stopping", "failed"],
  // → starting: a reloaded spec that a running session cannot take live starts a new one.
  snapshotting: ["streaming", "starting", "retrying", "stopping", "failed"],
  streaming: ["starting", "retrying", "stopping", "failed"],
  retrying: ["starting", "stopping", "failed"],
  stopping: ["stopped", "finished", "failed"],
  stopped: [],
  finished: [],
  failed: [],
};

/** How loud the log says a phase was entered: log levels filter on it, so trouble must not read as info. */
export function phaseLogLevel(phase: Phase): "info" | "warn" | "error" {
  if (phase === "failed") return "error";
  return phase === "retrying" ? "warn" : "info";
}

export class IllegalTransitionError extends Error {
  override name = "IllegalTransitionError";
}

export type PhaseListener = (to: Phase, from: Phase, reason: string | undefined) => void;

export class Lifecycle {
  #phase: Phase = "starting";
  #listeners: PhaseListener[] = [];

  get phase(): Phase {
    return this.#phase;
  }

  get finished(): boolean {
    return this.#phase === "stopped" || this.#phase === "finished" || this.#phase === "failed";
  }

  onChange(listener: PhaseListener): void {
    this.#listeners.push(listener);
  }

  canTransition(to: Phase): boolean {
    return allowedTransitions[this.#phase].includes(to);
  }

  transition(to: Phase, reason?: string): void {
    const from = this.#phase;
    if (!this.canTransition(to)) throw new IllegalTransitionError(`illegal pipeline transition ${from} → ${to}`);
    this.#phase = to;
    for (const listener of this.#listeners) listener(to, from, reason);
  }
}
