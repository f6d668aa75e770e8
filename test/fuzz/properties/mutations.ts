// Mutations of every shipped spec and golden case must keep every invariant of check-input.ts:
// no exception, no internal error, positions inside the file, clean output, fmt idempotent and
// plan-preserving, and a bounded time.
import { corpus } from "../corpus.js";
import { mutants } from "../mutate.js";
import { assertNoViolations } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";

/** One property per corpus entry, so that every shipped spec and golden case is mutated. */
export const mutationProperties: Properties = Object.fromEntries(
  corpus.map((entry) => [
    entry.name,
    (sandbox: Sandbox) => assertNoViolations(`mutations of ${entry.name}`, mutants(entry), async (c) => (await sandbox.check(c.input)).violations, (c) => c.input, { numRuns: 25, timeLimitMs: 20_000 }),
  ]),
);
