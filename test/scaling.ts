// Scaling checks that hold on a slow machine: time an operation on an input of size n and of
// size 8n, and compare the two. Linear work takes about 8 times as long, quadratic 64 times;
// the bound of 20 separates them with room for noise. Each size is timed a few times and the
// fastest run kept, so one garbage collection does not fail the test. Both sizes are run once
// first, so neither timing includes compiling the code under test, and n is doubled until the
// small run takes a measurable time.
import { expect } from "vitest";

const growth = 8;
const maxRatio = 20;
const rounds = 4;
/** The small input is grown until one run takes this long, so timings are not mostly noise. */
const minimumMs = 10;
const maxDoublings = 6;

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** Asserts that `run(make(8n))` takes less than 20 times as long as `run(make(n))`. */
export function expectNearLinear<T>(make: (n: number) => T, run: (input: T) => void, n: number): void {
  let size = n;
  let small = make(size);
  run(small);
  for (let i = 0; i < maxDoublings && time(() => run(small)) < minimumMs; i++) small = make((size *= 2));
  const large = make(size * growth);
  run(large);
  // Small and large runs alternate, so a busy spell on the machine slows both alike.
  let smallMs = Number.POSITIVE_INFINITY;
  let largeMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    smallMs = Math.min(smallMs, time(() => run(small)));
    largeMs = Math.min(largeMs, time(() => run(large)));
  }
  expect(largeMs / smallMs, `${smallMs.toFixed(1)} ms at n = ${size}, ${largeMs.toFixed(1)} ms at ${size * growth}`).toBeLessThan(maxRatio);
}
