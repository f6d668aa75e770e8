// Time bounds are ratios to work measured in the same run, never fixed milliseconds: a busy CI
// machine slows the baseline as much as the input, so the ratio still means something.

/** What the sandbox measured for the plain shipped spec (specs/full.dts). */
export interface Baseline {
  ms: number;
  chars: number;
}

/**
 * An input may take `factor` times the baseline, scaled by size: a file ten times as long as
 * specs/full.dts may take ten times as long. The factor is generous (error paths, one line of
 * 100 KB, thousands of diagnostics) yet far below what an exponential path costs; quadratic
 * ones are caught by the growth checks of long-inputs.test.ts.
 */
export const perInputFactor = 25;
/** Small inputs are scaled as if a quarter of the baseline's size: part of the work is fixed. */
const smallestShare = 0.25;

export function allowedMs(baseline: Baseline, chars: number, factor = perInputFactor): number {
  return factor * baseline.ms * Math.max(smallestShare, chars / baseline.chars);
}

/**
 * The child is killed past this multiple of the bound, and never before `minKillFactor` times
 * the baseline: a kill is final, so it waits out what a busy machine and a cold JIT can cost
 * (a slow input that does finish is measured and reported by the child instead).
 */
const killAfterBounds = 5;
const minKillFactor = 150;

export function killDeadlineMs(baseline: Baseline, chars: number): number {
  return Math.max(killAfterBounds * allowedMs(baseline, chars), minKillFactor * baseline.ms);
}

/** A tighter deadline asked for by a property, never below the floor above. */
export function atLeastKillFloor(baseline: Baseline, ms: number): number {
  return Math.max(ms, minKillFactor * baseline.ms);
}

/** Growth: an input 8 times as large may take this many times as long (linear is 8, quadratic 64). */
export const growthSizeRatio = 8;
export const maxGrowthRatio = 24;
