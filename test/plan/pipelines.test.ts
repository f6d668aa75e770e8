// Picking pipelines by name, as every command, run() and the precheck do it.
import { describe, expect, it } from "vitest";
import { selectPipelines } from "../../src/plan/pipelines.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { run } from "../../src/runtime/index.js";
import { runPrechecks } from "../../src/precheck/index.js";
import { UsageError } from "../../src/cli/command.js";
import { requirePipeline } from "../../src/cli/spec-files.js";
import { pipeline, plan } from "../precheck/fixtures.js";

const two = plan(pipeline({ name: "shop" }), pipeline({ name: "billing" }));

describe("selecting pipelines by name", () => {
  it("selects the named pipeline, or all of them without a name", () => {
    expect(selectPipelines(two, "billing")).toEqual({ ok: true, indexes: [1] });
    expect(selectPipelines(two, null)).toEqual({ ok: true, indexes: [0, 1] });
  });

  it("names the pipelines there are and the closest one", () => {
    expect(selectPipelines(two, "shopp")).toEqual({ ok: false, message: 'no pipeline named "shopp"; the specs declare: shop, billing (did you mean shop?)' });
    expect(selectPipelines(two, "orders", { from: "the plan" })).toEqual({ ok: false, message: 'no pipeline named "orders"; the plan declares: shop, billing' });
  });

  it("asks for a name when one pipeline is wanted and there are several", () => {
    expect(selectPipelines(two, null, { single: true })).toMatchObject({ ok: false, message: expect.stringMatching(/several pipelines \(shop, billing\); choose one with --pipeline/) });
    expect(selectPipelines(plan(pipeline()), null, { single: true })).toEqual({ ok: true, indexes: [0] });
  });

  it("rejects a plan without pipelines", () => {
    expect(selectPipelines(plan(), null)).toMatchObject({ ok: false, message: expect.stringMatching(/declare no pipelines/) });
  });

  it("says the same in the CLI, the runtime and the precheck", async () => {
    const expected = 'no pipeline named "shopp"; the plan declares: shop, billing (did you mean shop?)';
    expect(() => requirePipeline(two, "shopp", "the plan")).toThrow(new UsageError(expected));
    await expect(run(two, "shopp")).rejects.toMatchObject({ code: "config", message: expected });
    await expect(runPrechecks(two, "shopp", {})).rejects.toMatchObject({ code: "config", message: expected });
  });
});
