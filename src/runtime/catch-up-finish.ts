// When a pipeline ends by itself: a migration whose spec says stop_when_caught_up, or one asked
// with `dts stop --when-caught-up`, finishes once it has caught up with the source.
import type { Pipeline } from "../generated/plan.js";
import { compareBinlogPositions } from "./checkpoint/binlog-order.js";
import type { BinlogPoint } from "./snapshot/binlog-position.js";

function wantedBySpec(pipeline: Pipeline): boolean {
  return pipeline.mode === "migrate" && pipeline.stopWhenCaughtUp === true;
}

export class CatchUpFinish {
  #wanted: boolean;
  #caughtUpTicks = 0;
  /** The server's binlog position when the pipeline first seemed caught up; null until asked. */
  #target: BinlogPoint | null = null;
  #asking = false;
  /** Set once the finish began: the stop that follows ends the pipeline as finished. */
  finishing = false;

  constructor(pipeline: Pipeline) {
    this.#wanted = wantedBySpec(pipeline);
  }

  /** `dts stop --when-caught-up`; false when a finish was wanted already. */
  request(): boolean {
    if (this.#wanted) return false;
    this.#wanted = true;
    return true;
  }

  /** A reloaded spec may ask for it; a finish asked for by an operator stays asked for. */
  adopt(pipeline: Pipeline): void {
    this.#wanted ||= wantedBySpec(pipeline);
  }

  /** A new session (perhaps on another server): the position to reach is asked anew. */
  sessionStarted(): void {
    this.#target = null;
  }

  /**
   * Called on every status tick: true once caught up at two ticks in a row (a lull between
   * transactions does not count) and everything up to the server's binlog position at that
   * moment is delivered. An idle reader alone is no proof: on a slow link it waits for bytes the
   * server has long written, and finishing then would leave them unsent.
   */
  due(caughtUp: boolean, delivered: { file: string; offset: number } | null, serverPosition: () => Promise<BinlogPoint>): boolean {
    if (!this.#wanted || this.finishing) return false;
    this.#caughtUpTicks = caughtUp ? this.#caughtUpTicks + 1 : 0;
    if (this.#caughtUpTicks < 2) return false;
    const target = this.#target;
    if (target === null) {
      this.#ask(serverPosition);
      return false;
    }
    if (!delivered || delivered.file === "" || compareBinlogPositions(delivered, target) < 0) return false;
    this.finishing = true;
    return true;
  }

  #ask(serverPosition: () => Promise<BinlogPoint>): void {
    if (this.#asking) return;
    this.#asking = true;
    // A failed query is asked again at the next tick.
    serverPosition().then(
      (point) => (this.#target = point),
      () => undefined,
    ).finally(() => (this.#asking = false));
  }
}
