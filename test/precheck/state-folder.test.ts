// The state-folder check: a run that could not keep its checkpoint is refused by the precheck,
// rather than passing it and failing at once (found by the cli probe).
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import { checkStateFolder } from "../../src/precheck/state-folder.js";

const pipelineIn = (directory: string) => ({ name: "p", checkpoint: { directory } }) as unknown as Pipeline;

describe("state-folder check", () => {
  const root = mkdtempSync(join(tmpdir(), "dts-state-check-"));

  it("passes a folder that exists or can be made, and changes nothing", () => {
    expect(checkStateFolder(pipelineIn(join(root, "new", "deeper")))).toMatchObject({ status: "pass", reason: `${join(root, "new", "deeper", "p")} will be made on the first run` });
    mkdirSync(join(root, "there", "p"), { recursive: true });
    expect(checkStateFolder(pipelineIn(join(root, "there")))).toMatchObject({ status: "pass", reason: `${join(root, "there", "p")} is writable` });
  });

  it("fails a directory that is a file, lies under a file, or holds a folder where the checkpoint goes", () => {
    writeFileSync(join(root, "file"), "");
    expect(checkStateFolder(pipelineIn(join(root, "file")))).toMatchObject({ status: "fail", code: "DTS4022", reason: `the state folder ${join(root, "file", "p")} cannot be made: ${join(root, "file")} is a file, not a folder` });
    expect(checkStateFolder(pipelineIn(join(root, "file", "under")))).toMatchObject({ status: "fail" });
    mkdirSync(join(root, "odd", "p", "checkpoint.json"), { recursive: true });
    expect(checkStateFolder(pipelineIn(join(root, "odd")))).toMatchObject({ status: "fail", reason: `${join(root, "odd", "p", "checkpoint.json")} is not a file` });
  });

  it.skipIf(process.getuid?.() === 0)("fails a folder this user may not write", () => {
    mkdirSync(join(root, "locked"));
    chmodSync(join(root, "locked"), 0o500);
    expect(checkStateFolder(pipelineIn(join(root, "locked")))).toMatchObject({ status: "fail" });
  });
});
