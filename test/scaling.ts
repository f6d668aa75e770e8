// Scaling checks that hold on a slow or busy machine: time an operation on an input of size n
// and of size 8n, and compare. Quadratic work takes 64 times as long. Linear work takes 8 times
// as long in theory, but measured here it reaches 20-25 times when the larger input outgrows
// V8's young generation and its objects must be promoted, so the bound is 32: half of what the
// quadratic code this guards against measured (47 to 83 times), well above what linear code
// measures. Each size is run once first (so no timing includes compiling the code), n is
// doubled until the small run takes a measurable time, and small and large runs alternate,
// keeping the fastest of each, so a busy spell on the machine slows both alike.
import { expect } from "vitest";

const growth = 8;
const maxRatio = 32;
const rounds = 3;
const minimumMs = 15;
const maxDoublings = 6;

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** Asserts that `run(make(8n))` takes less than 32 times as long as `run(make(n))`. */
export function expectNearLinear<T>(make: (n: number) => T, run: (input: T) => void, n: number): void {
  let size = n;
  let small = make(size);
  run(small);
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
