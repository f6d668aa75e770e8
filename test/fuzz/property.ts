// fast-check with fixed seeds: a failure names the property's seed and its shrunk counterexample,
// saves the counterexample's files under the temp dir so the CLI can be pointed at them, and can
// be replayed with DTS_FUZZ_SEED=<seed>. DTS_FUZZ_RUNS=<n> multiplies the runs for a deeper search.
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import type { FuzzInput } from "./check-input.js";

const runScale = Number(process.env["DTS_FUZZ_RUNS"] ?? "1");
const savedDir = join(tmpdir(), "dts-fuzz-counterexamples");

/** A stable seed per property name (FNV-1a), so adding a property does not reshuffle the others. */
function seedFor(name: string): number {
  const forced = process.env["DTS_FUZZ_SEED"];
  if (forced !== undefined) return Number(forced);
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/** Writes the input's files where a person can run `dts check` on them; returns the paths. */
export function saveCounterexample(name: string, input: FuzzInput): string[] {
  const dir = join(savedDir, name.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80));
  return input.files.map((f) => {
    const path = join(dir, f.file.replace(/^(\.\.\/)+/, ""));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
    return path;
  });
}

/** An input with a short description; fast-check prints the description as the counterexample. */
export interface Case {
  description: string;
  input: FuzzInput;
}

export function describedCase(description: string, input: FuzzInput): Case {
  return { description, input, [fc.toStringMethod]: () => description } as Case;
}

export interface PropertyOptions<T> {
  numRuns: number;
  /** Cases tried before the random ones, e.g. the 5,000-level nesting the issue names. */
  examples?: T[];
  /** Stops searching (or shrinking) after this long; a failure found by then is still reported. */
  timeLimitMs?: number;
  /** How to name a counterexample; fast-check's own printing by default. */
  describe?: (value: T) => string;
}

/**
 * Asserts that `violations` finds nothing for any generated value. `toInput` says which files to
 * save when the property fails.
 */
export async function assertNoViolations<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  violations: (value: T) => Promise<string[]>,
  toInput: (value: T) => FuzzInput,
  options: PropertyOptions<T>,
): Promise<void> {
  const seed = seedFor(name);
  const property = fc.asyncProperty(arbitrary, async (value) => {
    const found = await violations(value);
    if (found.length > 0) throw new Error(found.map((v) => `- ${v}`).join("\n"));
  });
  const numRuns = Math.max(1, Math.round(options.numRuns * runScale));
  const details = await fc.check(property, {
    seed,
    numRuns,
    examples: (options.examples ?? []).map((e) => [e] as [T]),
    interruptAfterTimeLimit: options.timeLimitMs ?? 20_000,
  });
  if (!details.failed) {
    // Passing on fewer runs than asked is allowed on a busy machine, but never silently.
    if (details.interrupted) console.warn(`${name}: stopped by the time limit after ${details.numRuns} of ${numRuns} runs`);
    return;
  }
  const counterexample = details.counterexample?.[0];
  const saved = counterexample === undefined ? [] : saveCounterexample(name, toInput(counterexample));
  const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    [
      `${name}: fails for ${counterexample === undefined ? "?" : (options.describe ?? fc.stringify)(counterexample)}`,
      reason,
      saved.length ? `saved as ${saved.join(" ")}` : "",
      `(seed ${seed}, shrunk ${details.numShrinks} time${details.numShrinks === 1 ? "" : "s"} after ${details.numRuns} run${details.numRuns === 1 ? "" : "s"}${details.interrupted ? ", stopped by the time limit" : ""}; replay with DTS_FUZZ_SEED=${seed})`,
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

/**
 * For small finite domains: checks every case, and reports the first failing one in full with
 * the names of the others that fail.
 */
export async function assertEveryCase<T>(
  name: string,
  cases: T[],
  violations: (value: T) => Promise<string[]>,
  toInput: (value: T) => FuzzInput,
  describe: (value: T) => string,
  /** Names a kind of case, to list the other failures by kind with a count. */
  kindOf: (value: T) => string = describe,
): Promise<void> {
  const failing: { value: T; found: string[] }[] = [];
  for (const value of cases) {
    const found = await violations(value);
    if (found.length) failing.push({ value, found });
  }
  const first = failing[0];
  if (!first) return;
  const saved = saveCounterexample(name, toInput(first.value));
  const kinds = new Map<string, number>();
  for (const f of failing) kinds.set(kindOf(f.value), (kinds.get(kindOf(f.value)) ?? 0) + 1);
  const others = [...kinds].map(([kind, count]) => (count > 1 ? `${kind} (${count} cases)` : kind));
  throw new Error(
    [
      `${name}: ${failing.length} of ${cases.length} cases fail; the first is ${describe(first.value)}`,
      first.found.map((v) => `- ${v}`).join("\n"),
      `saved as ${saved.join(" ")}`,
      failing.length > 1 ? `failing: ${others.slice(0, 20).join("; ")}${others.length > 20 ? `; and ${others.length - 20} more kinds` : ""}` : "",
    ]
      .filter(Boolean)
      .join("\n"),
  );
}
