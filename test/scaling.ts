// Scaling checks that hold on a slow or busy machine: time (in CPU time) an operation on an
// input of size n and of size 32n, and compare. Quadratic work takes 1024 times as long. Linear
// work takes 32 times as long in theory, but measured here per-item costs grow up to about four
// times over that range as the larger input outgrows V8's young generation (a linear lexer run
// measured 100 at 16n), so the bound of 400 sits between the two with room either way. Each size
// is run once first (so no timing includes compiling the code), n is doubled until the small run
// takes a measurable time, and small and large runs alternate, keeping the fastest of each.
import { expect } from "vitest";
import { cpuMs } from "./cpu-time.js";

const growth = 32;
const maxRatio = 400;
const rounds = 3;
const minimumMs = 6;
const maxDoublings = 6;

function time(run: () => void): number {
  const start = cpuMs();
  run();
  return cpuMs() - start;
}

/** Asserts that `run(make(32n))` takes less than 400 times as long as `run(make(n))`. */
export function expectNearLinear<T>(make: (n: number) => T, run: (input: T) => void, n: number): void {
  let size = n;
  let small = make(size);
  // A few runs first, so the code under test is optimized before its time decides the size.
  for (let i = 0; i < 3; i++) run(small);
  const fastest = () => Math.min(time(() => run(small)), time(() => run(small)), time(() => run(small)));
  for (let i = 0; i < maxDoublings && fastest() < minimumMs; i++) small = make((size *= 2));
  const large = make(size * growth);
  run(large);
  let smallMs = Number.POSITIVE_INFINITY;
  let largeMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    smallMs = Math.min(smallMs, time(() => run(small)));
    largeMs = Math.min(largeMs, time(() => run(large)));
  }
  expect(largeMs / smallMs, `${smallMs.toFixed(1)} ms at n = ${size}, ${largeMs.toFixed(1)} ms at ${size * growth}`).toBeLessThan(maxRatio);
}
