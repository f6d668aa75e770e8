// Files that are not specs at all: random text, random bytes decoded as the CLI reads a file,
// and soups of the grammar's own tokens, which get much further into the parser than noise does.
import fc from "fast-check";
import { excerpt, type FuzzInput } from "../check-input.js";
import { grammarFragments } from "../mutate.js";
import { assertNoViolations } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";

const input = (text: string): FuzzInput => ({ files: [{ file: "junk.dts", text }] });
const words = ["pipeline", '"p"', "source", "mysql", "destination", "kafka", "database", '"d"', "table", '"t"', "brokers", "topic", "password", "filter", "=", "{", "}", "(", ")", "[", "]"];

const kinds: Record<string, fc.Arbitrary<string>> = {
  "random text": fc.string({ unit: "binary", maxLength: 400 }),
  "random bytes": fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString("utf8")),
  "a soup of grammar tokens": fc.array(fc.tuple(fc.constantFrom(...grammarFragments, ...words), fc.constantFrom(" ", "", "\n")), { maxLength: 150 }).map((parts) => parts.map(([t, sep]) => t + sep).join("")),
};

export const junkProperties: Properties = Object.fromEntries(
  Object.entries(kinds).map(([kind, arbitrary]) => [
    `${kind} keeps every invariant`,
    (sandbox: Sandbox) =>
      assertNoViolations(`junk: ${kind}`, arbitrary, async (text) => (await sandbox.check(input(text))).violations, input, {
        numRuns: 150,
        describe: (text) => `${kind}: ${excerpt(text, 200)}`,
      }),
  ]),
);
