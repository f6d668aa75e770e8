// Comments anywhere a token may end: before and after labels, inside lists, maps and call
// arguments, between a key and its value. fmt must keep every one of them, stay idempotent and
// leave the plan alone, whatever layout it picks for the values around them.
import fc from "fast-check";
import type { FuzzInput } from "../check-input.js";
import { corpus } from "../corpus.js";
import { assertNoViolations } from "../property.js";
import { roughTokens } from "../rough-tokens.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";

const comments = ["# note\n", "// note\n", "/* note */", "/* two\n   lines */", "\n# own line\n"];

interface Commented {
  entry: number;
  inserts: [number, number][];
}

const commented: fc.Arbitrary<Commented> = fc.record({
  entry: fc.nat({ max: corpus.length - 1 }),
  inserts: fc.array(fc.tuple(fc.nat(), fc.nat({ max: comments.length - 1 })), { minLength: 1, maxLength: 4 }),
});

/** Each comment goes after a token (modulo the count), into the first file of the entry. */
function build(x: Commented): FuzzInput {
  const entry = corpus[x.entry] as (typeof corpus)[number];
  return {
    files: entry.files.map((f, i) => {
      if (i > 0) return f;
      const tokens = roughTokens(f.text);
      for (const [at, kind] of x.inserts) tokens.splice(at % (tokens.length + 1), 0, comments[kind] as string);
      return { file: f.file, text: tokens.join("") };
    }),
  };
}

export const commentProperties: Properties = {
  "comments anywhere are kept by fmt, which stays idempotent and keeps the plan": (sandbox: Sandbox) =>
    assertNoViolations("comments", commented, async (x) => (await sandbox.check(build(x))).violations, build, {
      numRuns: 80,
      describe: (x) => `${corpus[x.entry]?.name} with ${x.inserts.map(([at, kind]) => `${JSON.stringify(comments[kind])} after token ${at}`).join(", ")}`,
    }),
};
