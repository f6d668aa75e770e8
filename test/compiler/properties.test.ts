// Properties from the issue: fmt is idempotent and preserves meaning; generated valid specs
// compile to valid plans; mutated specs never make the compiler throw and every diagnostic
// points inside its file.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, formatSource, validatePlan, type ExecutionPlan } from "../../src/compiler/index.js";
import { mutatedSpec, validSpec } from "./spec-arbitrary.js";

// DTS_PROPERTY_RUNS raises the counts for a deeper local search.
const scale = Number(process.env["DTS_PROPERTY_RUNS"] ?? "1");
const runs = { numRuns: 150 * scale };

/** Plans minus source locations, which formatting legitimately moves. */
function withoutOrigins(plan: ExecutionPlan | null): unknown {
  return JSON.parse(JSON.stringify(plan), (key, value) => (key === "origin" ? undefined : value));
}

function format(text: string): string {
  const result = formatSource("spec.dts", text);
  if (!result.ok) throw new Error(`fmt failed: ${result.diagnostics.map((d) => d.message).join("; ")}\n${text}`);
  return result.text;
}

describe("compiler properties", { timeout: 30_000 * scale }, () => {
  it("generated valid specs compile to plans that validate", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const result = compile([{ file: "spec.dts", text: spec.text }]);
        expect(result.diagnostics, spec.text).toEqual([]);
        expect(result.plan?.pipelines).toHaveLength(spec.pipelines);
        expect(validatePlan(result.plan).ok).toBe(true);
      }),
      runs,
    );
  });

  it("fmt is idempotent", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const once = format(spec.text);
        expect(format(once)).toBe(once);
      }),
      runs,
    );
  });

  it("fmt keeps every comment", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const comments = (text: string) => (text.match(/(#|\/\/)[^\n]*/g) ?? []).map((c) => c.trim()).sort();
        expect(comments(format(spec.text))).toEqual(comments(spec.text));
      }),
      runs,
    );
  });

  it("compile(fmt(x)) equals compile(x)", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const before = compile([{ file: "spec.dts", text: spec.text }]);
        const after = compile([{ file: "spec.dts", text: format(spec.text) }]);
        expect(withoutOrigins(after.plan)).toEqual(withoutOrigins(before.plan));
        expect(after.diagnostics.map((d) => d.code)).toEqual(before.diagnostics.map((d) => d.code));
      }),
      runs,
    );
  });

  it("mutated specs never make the compiler throw, and diagnostics point inside the file", () => {
    fc.assert(
      fc.property(mutatedSpec, (text) => {
        const result = compile([{ file: "spec.dts", text }]);
        const lines = text.split("\n");
        for (const d of result.diagnostics) {
          expect(d.code, d.message).not.toBe("DTS3999");
          expect(d.span.offset).toBeGreaterThanOrEqual(0);
          expect(d.span.endOffset).toBeGreaterThanOrEqual(d.span.offset);
          expect(d.span.endOffset).toBeLessThanOrEqual(text.length);
          expect(d.span.line).toBeGreaterThanOrEqual(1);
          expect(d.span.line).toBeLessThanOrEqual(lines.length);
          expect(d.span.column).toBeLessThanOrEqual((lines[d.span.line - 1] ?? "").length + 1);
        }
        if (result.plan) expect(validatePlan(result.plan).ok).toBe(true);
        const formatted = formatSource("spec.dts", text);
        if (formatted.ok) expect(formatSource("spec.dts", formatted.text)).toEqual(formatted);
      }),
      { numRuns: 300 * scale },
    );
  });
});
