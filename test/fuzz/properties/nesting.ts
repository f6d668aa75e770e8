// Nesting far beyond any real spec (which nests five or six levels): blocks, lists, maps, calls,
// parentheses and NOT in row filters, closed and left open. Each shape is tried at 5,000 levels
// first; on a failure fast-check shrinks the depth, so the report names the shallowest failing one.
import fc from "fast-check";
import { assertNoViolations } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";
import { spec } from "../template.js";

const repeat = (text: string, n: number) => text.repeat(n);

/** Each shape builds a whole file for a depth. */
const shapes: Record<string, (depth: number) => string> = {
  "blocks": (n) => spec({ pipeline: `${repeat("x { ", n)}${repeat("} ", n)}` }),
  "blocks left open": (n) => spec({ after: repeat("x {\n", n) }),
  "closing braces only": (n) => spec({ after: repeat("}", n) }),
  "lists": (n) => spec({ brokers: `brokers = ${repeat("[", n)}"k:9092"${repeat("]", n)}` }),
  "lists left open": (n) => spec({ brokers: `brokers = ${repeat("[", n)}` }),
  "maps": (n) => spec({ table: `columns {\n  rename = ${repeat("{ a = ", n)}"b"${repeat(" }", n)}\n}` }),
  "calls": (n) => spec({ source: `tls = ${repeat("verify(", n)}"ca.pem"${repeat(")", n)}` }),
  "calls left open": (n) => spec({ source: `tls = ${repeat("verify(", n)}` }),
  "lists, maps and calls mixed": (n) => spec({ brokers: `brokers = ${repeat("[{ a = f(", n)}1${repeat(")}]", n)}` }),
  "filter parentheses": (n) => spec({ table: `filter = ${repeat("(", n)}status = 'paid'${repeat(")", n)}` }),
  "filter parentheses left open": (n) => spec({ table: `filter = ${repeat("(", n)}status = 'paid'` }),
  "filter NOT": (n) => spec({ table: `filter = (${repeat("NOT ", n)}status = 'paid')` }),
  "filter NOT with parentheses": (n) => spec({ table: `filter = (${repeat("NOT (", n)}status = 'paid'${repeat(")", n)})` }),
  "filter as a string, parentheses": (n) => spec({ table: `filter = "${repeat("(", n)}a = 1${repeat(")", n)}"` }),
};

export const nestingProperties: Properties = Object.fromEntries(
  Object.entries(shapes).map(([shape, build]) => [
    `${shape}, up to 10,000 levels`,
    async (sandbox: Sandbox) => {
      const input = (depth: number) => ({ files: [{ file: "deep.dts", text: build(depth) }] });
      // Half the depths stay under 100, where the compiler still formats and checks everything.
      const depths = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10_000 }));
      await assertNoViolations(`nesting: ${shape}`, depths, async (depth) => (await sandbox.check(input(depth))).violations, input, {
        numRuns: 10,
        examples: [5000],
        describe: (depth) => `${shape} nested ${depth} levels deep`,
      });
    },
  ]),
);
