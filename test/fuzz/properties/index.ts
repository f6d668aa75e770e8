// A property family: named checks that each run against the shared sandbox and throw with a
// readable counterexample when they fail. compiler.test.ts registers them as vitest tests.
import type { Sandbox } from "../sandbox.js";

export type Properties = Record<string, (sandbox: Sandbox) => Promise<void>>;
