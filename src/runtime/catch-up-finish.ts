// When a pipeline ends by itself: a migration whose spec says stop_when_caught_up, or one asked
// with `dts stop --when-caught-up`, finishes once it has caught up with the source.
import type { Pipeline } from "../generated/plan.js";

function wantedBySpec(pipeline: Pipeline): boolean {
  return pipeline.mode === "migrate" && pipeline.stopWhenCaughtUp === true;
}

export class CatchUpFinish {
  #wanted: boolean;
  #caughtUpTicks = 0;
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

  /** Called on every status tick: true once caught up at two ticks in a row (a lull between transactions does not count). */
  due(caughtUp: boolean): boolean {
    if (!this.#wanted || this.finishing) return false;
    this.#caughtUpTicks = caughtUp ? this.#caughtUpTicks + 1 : 0;
    if (this.#caughtUpTicks < 2) return false;
    this.finishing = true;
    return true;
  }
}
