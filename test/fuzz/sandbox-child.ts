// The sandbox's child process (see sandbox.ts): checks and times inputs sent over IPC. It
// measures its own baseline first, so time bounds are ratios to work done in this process.
import { readFileSync } from "node:fs";
import type { Baseline } from "./budget.js";
import { checkInput, timeInput, type FuzzInput, type Outcome, type StepTimes } from "./check-input.js";

export interface Timing {
  ms: number;
  steps: StepTimes;
}
/**
 * Check an input, time it (fastest of `repeat` runs), time two inputs in turns (so that both
 * see the same load on the machine), or measure the baseline again.
 */
export type Question =
  | { kind: "check"; input: FuzzInput }
  | { kind: "time"; input: FuzzInput; repeat: number }
  | { kind: "compare"; small: FuzzInput; large: FuzzInput; repeat: number }
  | { kind: "baseline" };
export type Request = Question & { id: number };
export type Reply =
  | { kind: "ready"; baseline: Baseline }
  | { id: number; kind: "checked"; outcome: Outcome }
  | { id: number; kind: "timed"; timing: Timing }
  | { id: number; kind: "compared"; small: Timing; large: Timing }
  | { id: number; kind: "measured"; baseline: Baseline };

const plainSpec: FuzzInput = { files: [{ file: "specs/full.dts", text: readFileSync(new URL("../../specs/full.dts", import.meta.url), "utf8") }] };
const plainChars = plainSpec.files[0]!.text.length;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function measureBaseline(runs: number): Baseline {
  for (let i = 0; i < 20; i++) timeInput(plainSpec);
  return { ms: median(Array.from({ length: runs }, () => timeInput(plainSpec).ms)), chars: plainChars };
}

function fastest(input: FuzzInput, repeat: number): Timing {
  let best: Timing | undefined;
  for (let i = 0; i < repeat; i++) {
    const timing = timeInput(input);
    if (!best || timing.ms < best.ms) best = timing;
  }
  return best as Timing;
}

// A replacement child is handed its predecessor's baseline, so it is ready soon after it starts;
// it still warms up, since a cold first compile can take ten times a warm one.
const inherited = process.argv[2];
const baseline: Baseline = inherited ? (JSON.parse(inherited) as Baseline) : measureBaseline(25);
if (inherited) fastest(plainSpec, 10);

function answer(request: Request): Reply {
  switch (request.kind) {
    case "check":
      return { id: request.id, kind: "checked", outcome: checkInput(request.input) };
    case "time":
      return { id: request.id, kind: "timed", timing: fastest(request.input, request.repeat) };
    case "compare": {
      let small: Timing | undefined;
      let large: Timing | undefined;
      for (let i = 0; i < request.repeat; i++) {
        const s = fastest(request.small, 1);
        const l = fastest(request.large, 1);
        if (!small || s.ms < small.ms) small = s;
        if (!large || l.ms < large.ms) large = l;
      }
      return { id: request.id, kind: "compared", small: small as Timing, large: large as Timing };
    }
    case "baseline":
      return { id: request.id, kind: "measured", baseline: { ms: median(Array.from({ length: 7 }, () => timeInput(plainSpec).ms)), chars: plainChars } };
  }
}

process.on("message", (request: Request) => process.send?.(answer(request)));
process.send?.({ kind: "ready", baseline } satisfies Reply);
