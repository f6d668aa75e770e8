// Scaling checks that hold on a slow or busy machine: time an operation on an input of size n
// and of size 16n, and compare. Quadratic work takes 256 times as long. Linear work takes 16
// times as long in theory, but measured here per-item costs grow up to three times over that
// range as the larger input outgrows V8's young generation, so linear code measures up to about
// 50: the bound of 100 sits between the two with room for a noisy machine either way. Each size
// is run once first (so no timing includes compiling the code), n is doubled until the small run
// takes a measurable time, and small and large runs alternate, keeping the fastest of each, so a
// busy spell on the machine slows both alike.
import { expect } from "vitest";

const growth = 16;
const maxRatio = 100;
const rounds = 3;
const minimumMs = 6;
const maxDoublings = 6;

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** Asserts that `run(make(16n))` takes less than 100 times as long as `run(make(n))`. */
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
