// Command-line options of group mode: refused before anything connects when they cannot work.
import { describe, expect, it } from "vitest";
import { groupSettings, requireCheckpointTopics } from "../../src/cli/group-options.js";
import { groupPlan } from "../../src/runtime/index.js";
import type { ExecutionPlan } from "../../src/compiler/index.js";

describe("group options", () => {
  it("are off without --group, and refuse its companions alone", () => {
    expect(groupSettings({})).toBeNull();
    expect(() => groupSettings({ "worker-id": "w1" })).toThrow(/only apply with --group/);
  });

  it("take a group, a worker id and a session timeout", () => {
    expect(groupSettings({ group: "g.1", "worker-id": "w-1", "session-timeout": "6s" })).toEqual({ identity: { group: "g.1", worker: "w-1" }, sessionTimeoutMs: 6000 });
    expect(groupSettings({ group: "g" })?.sessionTimeoutMs).toBe(10_000);
    expect(groupSettings({ group: "g" })?.identity.worker).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
  });

  it("refuse names that cannot be folder names, --pipeline, and timeouts out of range", () => {
    expect(() => groupSettings({ group: "../x" })).toThrow(/--group takes a name/);
    expect(() => groupSettings({ group: "g", "worker-id": "a/b" })).toThrow(/--worker-id takes a name/);
    expect(() => groupSettings({ group: "g", pipeline: "p" })).toThrow(/--pipeline does not apply/);
    expect(() => groupSettings({ group: "g", "session-timeout": "soon" })).toThrow(/--session-timeout takes a duration/);
    expect(() => groupSettings({ group: "g", "session-timeout": "2h" })).toThrow(/--session-timeout/);
  });

  it("refuse a plan whose pipelines keep no checkpoint in Kafka", () => {
    const plan = { planVersion: 1, pipelines: [{ name: "p", checkpoint: { directory: ".dts-state", topic: null } }] } as unknown as ExecutionPlan;
    expect(() => requireCheckpointTopics(plan, "plan x.json")).toThrow(/p have no checkpoint topic/);
  });

  it("give each worker state folders of its own and Kafka transactions", () => {
    const plan = { planVersion: 1, pipelines: [{ name: "p", delivery: "at-least-once", checkpoint: { directory: "/s", topic: "c" } }] } as unknown as ExecutionPlan;
    expect(groupPlan(plan, { group: "g", worker: "w1" }).pipelines[0]).toMatchObject({ delivery: "exactly-once", checkpoint: { directory: "/s/group-g/w1", topic: "c" } });
  });
});
