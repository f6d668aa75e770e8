// The one catalog: a code per compiler kind, precheck check and runtime error kind, each unique
// and numbered by its phase, so `dts explain` and docs/errors.md can name every code users see.
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../src/compiler/diagnostics.js";
import { checkIds } from "../../src/precheck/index.js";
import { catalog, lookupCode, precheckCodes, runtimeCodes, type Phase } from "../../src/problems/index.js";
import { RuntimeError, type RuntimeErrorCode } from "../../src/runtime/errors.js";

const phaseOfThousands: Record<string, Phase> = { "1": "syntax", "2": "meaning", "3": "plan", "4": "precheck", "5": "runtime" };

describe("the catalog of codes", () => {
  it("holds each code once, numbered by its phase", () => {
    const codes = catalog.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const entry of catalog) {
      expect(entry.code).toMatch(/^DTS[1-5]\d{3}$/);
      expect(entry.phase, entry.code).toBe(phaseOfThousands[entry.code.charAt(3)]);
      expect(entry.title.length, entry.code).toBeGreaterThan(0);
    }
  });

  it("has an entry for every compiler kind, precheck check and runtime error kind", () => {
    for (const [kind, entry] of Object.entries(Diagnostics)) expect(lookupCode(entry.code), kind).toBe(entry);
    expect(Object.keys(precheckCodes)).toEqual(checkIds);
    for (const id of checkIds) expect(lookupCode(precheckCodes[id].code)?.phase).toBe("precheck");
    for (const kind of Object.keys(runtimeCodes) as RuntimeErrorCode[]) {
      const error = new RuntimeError(kind, "x");
      expect(lookupCode(error.problemCode), kind).toBe(runtimeCodes[kind]);
    }
  });

  it("finds a code with or without its prefix, in any case", () => {
    expect(lookupCode("DTS2004")?.title).toBe(Diagnostics.wrongType.title);
    expect(lookupCode("dts2004")).toBe(lookupCode("2004"));
    expect(lookupCode("DTS9999")).toBeNull();
  });

  it("gives a runtime error the catalog's fix unless the raiser has a more specific one", () => {
    expect(new RuntimeError("checkpoint", "cannot read it").hint).toBe(runtimeCodes.checkpoint.fix);
    expect(new RuntimeError("checkpoint", "cannot read it", { hint: "delete it" }).hint).toBe("delete it");
    expect(new RuntimeError("source-stream", "the stream broke").hint).toBeUndefined();
  });
});
