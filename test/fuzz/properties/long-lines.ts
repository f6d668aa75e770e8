// One line of 100 KB in every place a long run can hide: a comment, a string, a word, a number,
// a list, a row filter, a LIKE pattern, attributes or tables side by side, junk. Each must keep
// every invariant and grow linearly: the 100 KB input may take at most maxGrowthRatio times as
// long as the same shape at one eighth of the size (linear is 8×, quadratic 64×).
import { growthSizeRatio, maxGrowthRatio } from "../budget.js";
import type { FuzzInput } from "../check-input.js";
import { saveCounterexample } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";
import { spec } from "../template.js";

const fullSize = 100 * 1024;

/** `unit(i)` repeated until the run holds about `chars` characters. */
function run(chars: number, unit: (i: number) => string, separator = ""): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length + separator.length;
  }
  return parts.join(separator);
}

/** A fixed pseudo-random junk line: printable ASCII and the grammar's punctuation, no line breaks. */
function junk(chars: number): string {
  const alphabet = `{}[]()=:,"'\`#/*\\ x1-_.é@$%^&;<>?!~|`;
  let state = 12345;
  let out = "";
  for (let i = 0; i < chars; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

/** Each shape is one line of about `chars` characters inside an otherwise valid spec. */
const shapes: Record<string, (chars: number) => string> = {
  "a comment": (n) => spec({ pipeline: `# ${"x".repeat(n)}` }),
  "a string": (n) => spec({ source: `timezone = "${"a".repeat(n)}"` }),
  "an unterminated string": (n) => spec({ source: `timezone = "${"a".repeat(n)}` }),
  "a word": (n) => spec({ pipeline: `format = ${"a".repeat(n)}` }),
  "a number": (n) => spec({ source: `port = ${"9".repeat(n)}` }),
  "a duration": (n) => spec({ pipeline: `retry_window = ${run(n, () => "1h")}` }),
  "a list of brokers": (n) => spec({ brokers: `brokers = [${run(n, (i) => `"kafka-${i}:9092"`, ", ")}]` }),
  "a row filter with AND": (n) => spec({ table: `filter = (${run(n, (i) => `c${i} = ${i}`, " AND ")})` }),
  "a row filter with IN": (n) => spec({ table: `filter = (status IN (${run(n, (i) => `'s${i}'`, ", ")}))` }),
  "a LIKE pattern": (n) => spec({ table: `filter = (name LIKE '${run(n, () => "%a")}b')` }),
  "attributes side by side": (n) => spec({ pipeline: run(n, (i) => `x${i} = ${i}`, " ") }),
  "one attribute repeated": (n) => spec({ pipeline: run(n, () => "mode = sync", " ") }),
  "tables side by side": (n) => spec({ databases: `database "shop" { ${run(n, (i) => `table "t${i}" {}`, " ")} }` }),
  "databases side by side": (n) => spec({ databases: run(n, (i) => `database "d${i}" {}`, " ") }),
  "labels on one block": (n) => spec({ databases: `database ${run(n, (i) => `"d${i}"`, " ")} {}` }),
  "junk": (n) => spec({ after: junk(n) }),
};

const input = (text: string): FuzzInput => ({ files: [{ file: "long.dts", text }] });

async function checkLongLine(sandbox: Sandbox, shape: string, build: (chars: number) => string): Promise<void> {
  const smallInput = input(build(fullSize / growthSizeRatio));
  const largeInput = input(build(fullSize));
  const problems: string[] = [];
  const small = await sandbox.time(smallInput, 3);
  if (!small) problems.push(`even the input of ${fullSize / growthSizeRatio} characters did not finish in time`);
  const smallMs = Math.max(small?.ms ?? Number.NaN, 0.05);
  // A linear implementation needs at most linearMs for the large input; past twice that (or
  // the sandbox's floor for kills) it is stopped.
  const linearMs = maxGrowthRatio * smallMs;
  let outcome = await sandbox.check(largeInput, { ms: 2 * linearMs, why: `it did not finish within twice the time a linear implementation may take (${maxGrowthRatio}× the input of one eighth the size)` });
  // A kill at that tight deadline may be a burst of load on a shared machine (other test files
  // run beside this one): run it once more under the sandbox's own deadline, and let the growth
  // measured in turns below decide.
  if (small && Number.isNaN(outcome.ms)) outcome = await sandbox.check(largeInput);
  problems.push(...outcome.violations);
  // Runs apart in time see different load on a shared machine; a growth that looks too steep
  // is measured again with both sizes run in turns.
  if (small && Number.isFinite(outcome.ms) && outcome.ms / smallMs > growthSizeRatio * 1.5) {
    const turns = await sandbox.compare(smallInput, largeInput, 3, 3 * (smallMs + 2 * linearMs));
    const growth = turns ? turns.large.ms / Math.max(turns.small.ms, 0.05) : Number.POSITIVE_INFINITY;
    if (growth > maxGrowthRatio) {
      const byStep = turns ? Object.entries(turns.large.steps).map(([step, ms]) => `${step} ${(ms / Math.max(turns.small.steps[step as keyof typeof turns.small.steps], 0.05)).toFixed(0)}×`) : ["killed while timing"];
      problems.push(`8× the size takes ${Number.isFinite(growth) ? growth.toFixed(0) : "too"}× as long (at most ${maxGrowthRatio}×; linear is ${growthSizeRatio}×): ${byStep.join(", ")}`);
    }
  }
  if (problems.length) {
    const saved = saveCounterexample(`long line ${shape}`, largeInput);
    throw new Error(`${shape} on one line of ${largeInput.files[0]?.text.length} characters (saved as ${saved.join(" ")}):\n${problems.map((p) => `- ${p}`).join("\n")}`);
  }
}

export const longLineProperties: Properties = Object.fromEntries(
  Object.entries(shapes).map(([shape, build]) => [`${shape}: every invariant holds and time grows linearly`, (sandbox: Sandbox) => checkLongLine(sandbox, shape, build)]),
);
