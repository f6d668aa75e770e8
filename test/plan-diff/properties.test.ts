// Properties from issue 14: a spec and its fmt output compile to plans with no difference, and a
// random single edit, on a randomly commented and spaced spec, is classified as expected.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSource } from "../../src/compiler/index.js";
import { validSpec } from "../compiler/spec-arbitrary.js";
import { diffTexts, edit } from "./helpers.js";
import { mutations, shop } from "./mutations.js";

const note = fc.stringMatching(/^[ a-z0-9.,]{0,20}$/);

describe("plan --diff properties", () => {
  it("finds no change between a spec and its formatted copy", () => {
    fc.assert(
      fc.property(validSpec, ({ text }) => {
        const formatted = formatSource("shop.dts", text);
        if (!formatted.ok) throw new Error("fmt failed on a valid spec");
        expect(diffTexts(text, formatted.text)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("classifies a random single edit as expected, whatever the comments around it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...mutations), note, note, (m, before, after) => {
        const base = `# ${before}\n${shop}`;
        const next = `# ${after}\n\n${edit(shop, m.from, m.to)}`;
        const changes = diffTexts(base, next);
        if (!m.expect) return void expect(changes).toEqual([]);
        expect(changes).toContainEqual(expect.objectContaining(m.expect));
        const allowed = new Set([m.expect.change, ...(m.also ?? [])]);
        expect(changes.filter((c) => !allowed.has(c.change))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
