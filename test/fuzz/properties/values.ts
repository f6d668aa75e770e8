// Every value the grammar accepts (docs/language.md, "Syntax"): strings, numbers, quantities,
// words, lists, maps and calls nested in each other, with comments, optional commas and line
// breaks anywhere between elements, and long enough to be laid out over several lines. fmt's
// output must parse again, keep the comments and be stable; the checks of check-input.ts apply.
import fc from "fast-check";
import type { FuzzInput } from "../check-input.js";
import { assertNoViolations } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";

const gap = fc.constantFrom(" ", "", "\n", "\n  ", " # note\n", " /* note */ ", " // note\n");
const leaf = fc.constantFrom('"x"', '"a fairly long string value that takes up room on its line"', '"é\\n\\u00e9"', "1", "-2", "3.5", "12h", "64MiB", "word", "dts-avro");
const key = fc.constantFrom("a", "b_c", '"quoted key"', '"x y"');

const { value } = fc.letrec<{ value: string; list: string; map: string; call: string }>((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("list"), tie("map"), tie("call")),
  list: fc
    .tuple(fc.array(fc.tuple(gap, tie("value"), fc.constantFrom(",", "")), { maxLength: 4 }), gap)
    .map(([items, end]) => `[${items.map(([g, v, comma], i) => `${g}${v}${i < items.length - 1 ? "," : comma}`).join("")}${end}]`),
  map: fc
    .tuple(fc.array(fc.tuple(gap, key, fc.constantFrom(" = ", ": ", "="), tie("value"), fc.constantFrom(",", "", "\n")), { maxLength: 3 }), gap)
    .map(([entries, end]) => `{${entries.map(([g, k, sep, v, after]) => `${g}${k}${sep}${v}${after === "" ? " " : after}`).join("")}${end}}`),
  call: fc
    .tuple(fc.constantFrom("f", "env", "columns", "match"), fc.array(fc.tuple(gap, tie("value")), { maxLength: 3 }), gap)
    .map(([name, args, end]) => `${name}(${args.map(([g, v]) => `${g}${v}`).join(",")}${end})`),
}));

const input = (v: string): FuzzInput => ({ files: [{ file: "values.dts", text: `x = ${v}\n` }] });

export const valueProperties: Properties = {
  "any value the grammar accepts survives fmt": (sandbox: Sandbox) =>
    assertNoViolations("values", value, async (v) => (await sandbox.check(input(v))).violations, input, {
      numRuns: 150,
      describe: (v) => JSON.stringify(`x = ${v}`),
    }),
};
