// Scaling checks that hold on a slow machine: time an operation on an input of size n and of
// size 8n, and compare the two. Linear work takes about 8 times as long, quadratic 64 times;
// the bound of 20 separates them with room for noise. Each size is timed a few times and the
// fastest run kept, so one garbage collection does not fail the test.
import { expect } from "vitest";

const growth = 8;
const maxRatio = 20;
const repeats = 3;

function fastestRun(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** Asserts that `run(make(8n))` takes less than 20 times as long as `run(make(n))`. */
export function expectNearLinear<T>(make: (n: number) => T, run: (input: T) => void, n: number): void {
  const small = make(n);
  const large = make(n * growth);
  run(small);
  // Below a millisecond the clock and fixed costs dominate; a floor keeps the ratio meaningful.
  const smallMs = Math.max(fastestRun(() => run(small)), 1);
  const largeMs = fastestRun(() => run(large));
  expect(largeMs / smallMs, `${smallMs.toFixed(1)} ms at n = ${n}, ${largeMs.toFixed(1)} ms at ${n * growth}`).toBeLessThan(maxRatio);
}
