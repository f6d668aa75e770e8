// The group leader's assignment and the bytes members exchange through the coordinator.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";
import type { ExecutionPlan } from "../../src/generated/plan.js";
import { pipelineFingerprints } from "../../src/runtime/group/group-plan.js";
import { assignPipelines, type Candidate } from "../../src/runtime/group/assignment.js";
import { decodeAssignment, decodeMetadata, encodeAssignment, encodeMetadata } from "../../src/runtime/group/group-protocol.js";

const six = Object.fromEntries(["p1", "p2", "p3", "p4", "p5", "p6"].map((p) => [p, "f1"]));
const member = (memberId: string, owned: string[] = [], pipelines: Record<string, string> = six): Candidate => ({ memberId, pipelines, owned });
const counts = (a: Map<string, string[]>) => [...a.values()].map((p) => p.length).sort();
const all = (a: Map<string, string[]>) => [...a.values()].flat().sort();

describe("assignPipelines", () => {
  it("gives every pipeline to exactly one member, counts differing by at most one", () => {
    for (const n of [1, 2, 3, 4, 5, 7]) {
      const members = Array.from({ length: n }, (_, i) => member(`m${i}`));
      const assignment = assignPipelines(members);
      expect(all(assignment)).toEqual(Object.keys(six));
      const c = counts(assignment);
      expect((c.at(-1) ?? 0) - (c[0] ?? 0)).toBeLessThanOrEqual(1);
    }
  });

  it("leaves pipelines where they run when a member dies: only the dead one's move", () => {
    const before = assignPipelines([member("a"), member("b"), member("c")]);
    const after = assignPipelines([member("a", before.get("a")), member("b", before.get("b"))]);
    expect(counts(after)).toEqual([3, 3]);
    for (const m of ["a", "b"]) for (const p of before.get(m) ?? []) expect(after.get(m)).toContain(p);
  });

  it("moves only the surplus to a member that joins", () => {
    const after = assignPipelines([member("a", ["p1", "p2", "p3"]), member("b", ["p4", "p5", "p6"]), member("c")]);
    expect(counts(after)).toEqual([2, 2, 2]);
    expect(after.get("a")?.every((p) => ["p1", "p2", "p3"].includes(p))).toBe(true);
    expect(after.get("b")?.every((p) => ["p4", "p5", "p6"].includes(p))).toBe(true);
  });

  it("gives a pipeline two members claim (a paused worker back) to one of them", () => {
    const after = assignPipelines([member("a", ["p1", "p2", "p3"]), member("b", ["p1", "p2", "p3", "p4", "p5", "p6"])]);
    expect(all(after)).toEqual(Object.keys(six));
    expect(counts(after)).toEqual([3, 3]);
  });

  it("gives a pipeline only to members whose spec of it is the one most members run", () => {
    const older = { ...six, p1: "f0" };
    const after = assignPipelines([member("a", ["p1"], older), member("b"), member("c")]);
    expect(after.get("a")).not.toContain("p1");
    expect(all(after)).toEqual(Object.keys(six));
  });

  it("is the same whichever member computes it (members in any order)", () => {
    const members = [member("c", ["p2"]), member("a", ["p5", "p6"]), member("b")];
    expect(assignPipelines(members)).toEqual(assignPipelines([...members].reverse()));
  });
});

describe("group protocol bytes", () => {
  it("round-trips metadata and assignments", () => {
    const metadata = { worker: "w1", pipelines: { p1: "f" }, owned: ["p1"], status: "http://h:1/status" };
    expect(decodeMetadata(encodeMetadata(metadata))).toEqual(metadata);
    expect(decodeAssignment(encodeAssignment({ pipelines: ["p1"] }))).toEqual({ pipelines: ["p1"] });
  });

  it("reads damaged or foreign bytes as no metadata and an empty assignment", () => {
    expect(decodeMetadata(Buffer.from([0, 1, 0, 0]))).toBeNull();
    expect(decodeMetadata(Buffer.from('{"worker":1}'))).toBeNull();
    expect(decodeAssignment(Buffer.alloc(0))).toEqual({ pipelines: [] });
    expect(decodeAssignment(Buffer.from("[]"))).toEqual({ pipelines: [] });
  });
});

describe("pipelineFingerprints", () => {
  const spec = readFileSync("specs/demo.dts", "utf8");
  const fingerprint = (file: string, text = spec) => pipelineFingerprints(compile([{ file, text }]).plan as ExecutionPlan).demo;

  it("is the same for one spec named by another path (workers started from other folders)", () => {
    expect(fingerprint("specs/demo.dts")).toBe(fingerprint("/srv/pipelines/specs/demo.dts"));
    expect(fingerprint("demo.dts", `# a comment moves every line\n${spec}`)).toBe(fingerprint("specs/demo.dts"));
  });

  it("differs when the pipeline does", () => {
    expect(fingerprint("specs/demo.dts", spec.replace('topic   = "demo.changes"', 'topic   = "demo.changes.v2"'))).not.toBe(fingerprint("specs/demo.dts"));
  });
});
