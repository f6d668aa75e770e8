// The fuzz suite of the compiler: every property family of properties/ runs through compile(),
// fmt and the renderers of `dts check`, `dts plan` and `dts fmt`, inside sandbox children
// (sandbox.ts) so a hang or a crash is reported instead of stalling the run. Properties run
// concurrently and share two children, so both cores of a small CI machine stay busy.
//
// A failure prints the property, its seed, the shrunk counterexample and where its files were
// saved; DTS_FUZZ_SEED=<seed> replays it and DTS_FUZZ_RUNS=<n> multiplies the runs.
import { afterAll, beforeAll, describe, it } from "vitest";
import { commentProperties } from "./properties/comments.js";
import { encodingProperties } from "./properties/encodings.js";
import type { Properties } from "./properties/index.js";
import { junkProperties } from "./properties/junk.js";
import { longLineProperties } from "./properties/long-lines.js";
import { mutationProperties } from "./properties/mutations.js";
import { nestingProperties } from "./properties/nesting.js";
import { numberProperties } from "./properties/numbers.js";
import { patternProperties } from "./properties/patterns.js";
import { prototypeNameProperties } from "./properties/prototype-names.js";
import { secretProperties } from "./properties/secrets.js";
import { valueProperties } from "./properties/values.js";
import { Sandbox } from "./sandbox.js";

// The slowest families first, so the short ones fill the gaps at the end.
const families: Record<string, Properties> = {
  "one line of 100 KB": longLineProperties,
  "mutated specs and golden cases": mutationProperties,
  "deep nesting": nestingProperties,
  "encodings and line endings": encodingProperties,
  "comments": commentProperties,
  "values": valueProperties,
  "pathological patterns": patternProperties,
  "junk": junkProperties,
  "literal secrets": secretProperties,
  "Object.prototype member names": prototypeNameProperties,
  "numbers, durations and sizes": numberProperties,
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = new Sandbox(2);
  await sandbox.ready();
}, 60_000);
afterAll(() => sandbox.close());

describe.concurrent("fuzz", () => {
  for (const [family, properties] of Object.entries(families)) {
    describe(family, () => {
      for (const [name, property] of Object.entries(properties)) it(name, () => property(sandbox), 90_000);
    });
  }
});
