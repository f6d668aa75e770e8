// A restart takes a spec change that breaks consumers only when asked to (--allow-breaking),
// judged against what the pipeline's last run applied, as a reload is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import { refuseBreakingRestart } from "../../src/cli/breaking-restart.js";
import { readAppliedSpec, recordAppliedSpec } from "../../src/runtime/checkpoint/applied-spec.js";
import { createLogger } from "../../src/runtime/logger.js";
import { edit, pipelineOf, shop } from "./helpers.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The shop pipeline with its state under a fresh folder. */
function inFolder(text: string, directory: string): Pipeline {
  const pipeline = pipelineOf(text);
  return { ...pipeline, checkpoint: { ...pipeline.checkpoint, directory } };
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "dts-applied-"));
  dirs.push(dir);
  return dir;
}

const log = createLogger({ level: "silent" });
const stateOf = (p: Pipeline) => join(p.checkpoint.directory, p.name);

describe("dts run against the spec its last run applied", () => {
  it("refuses another message format or partition policy, naming the change and the way through", () => {
    const dir = folder();
    const before = inFolder(shop, dir);
    recordAppliedSpec(stateOf(before), before, log);
    const format = inFolder(edit(shop, "format       = dts-avro", "format = canal-json"), dir);
    expect(() => refuseBreakingRestart([format], false)).toThrow(/spec changed since its last run .*message format changes/);
    expect(() => refuseBreakingRestart([format], false)).toThrow(expect.objectContaining({ hint: expect.stringContaining("--allow-breaking"), location: before.origin }));
    expect(() => refuseBreakingRestart([inFolder(edit(shop, "partition    = table-hash", "partition = primary-key-hash"), dir)], false)).toThrow(/default partition policy changes/);
    expect(() => refuseBreakingRestart([format], true)).not.toThrow();
  });

  it("lets through a spec that changed only in what a restart may change, and a first run", () => {
    const dir = folder();
    const before = inFolder(shop, dir);
    expect(() => refuseBreakingRestart([before], false)).not.toThrow();
    recordAppliedSpec(stateOf(before), before, log);
    expect(readAppliedSpec(stateOf(before))).toEqual(before);
    expect(() => refuseBreakingRestart([inFolder(edit(shop, "(status = 'paid')", "(status = 'shipped')"), dir)], false)).not.toThrow();
    expect(() => refuseBreakingRestart([inFolder(edit(shop, '"db.internal"', '"db2.internal"'), dir)], false)).not.toThrow();
  });

  it("refuses a damaged record, naming the file and the ways out, as a damaged checkpoint", () => {
    const dir = folder();
    const before = inFolder(shop, dir);
    const record = join(stateOf(before), "applied-spec.json");
    const avro = inFolder(edit(shop, "format       = dts-avro", "format = canal-json"), dir);
    recordAppliedSpec(stateOf(before), before, log);
    writeFileSync(record, readFileSync(record, "utf8").slice(0, 200));
    expect(() => refuseBreakingRestart([avro], false)).toThrow(expect.objectContaining({
      code: "checkpoint",
      message: expect.stringMatching(new RegExp(`^the record of the spec the last run applied, ${record}, is not valid JSON \\(.+\\); without it a change`)),
      hint: "restore the file from a backup, or delete it to accept the spec as it is now (the run then records it again)",
    }));
    writeFileSync(record, JSON.stringify({ pipelines: [] }));
    expect(() => readAppliedSpec(stateOf(before))).toThrow(`the record of the spec the last run applied, ${record}, is damaged: it does not hold a pipeline's settings`);
    rmSync(record);
    expect(readAppliedSpec(stateOf(before))).toBeNull();
    expect(() => refuseBreakingRestart([avro], false)).not.toThrow();
  });
});
