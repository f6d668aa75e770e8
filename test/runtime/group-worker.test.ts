// A group worker runs what the group assigns it; a pipeline that ended here by itself (failed,
// finished) stays ended and counts as this worker's, so no rebalance starts it again.
import { describe, expect, it, vi } from "vitest";
import { GroupWorker, type StartPipeline } from "../../src/runtime/group/group-worker.js";
import type { PipelineResult, PipelineRunner } from "../../src/runtime/pipeline.js";
import type { Logger } from "../../src/runtime/logger.js";

const quiet = { info() {}, warn() {}, error() {}, debug() {}, child() { return quiet; } } as unknown as Logger;

/** Starts fake pipelines whose end each test decides. */
function starter() {
  const starts: string[] = [];
  const endings = new Map<string, (result: PipelineResult) => void>();
  const start: StartPipeline = (name) => {
    starts.push(name);
    let end: (result: PipelineResult) => void = () => {};
    const done = new Promise<PipelineResult>((resolve) => (end = resolve));
    endings.set(name, end);
    const runner = { status: { pipeline: name, phase: "streaming" }, requestStop: () => end({ phase: "stopped", error: null }) } as unknown as PipelineRunner;
    return { runner, done };
  };
  return { start, starts, end: (name: string, result: PipelineResult) => endings.get(name)?.(result) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const failed: PipelineResult = { phase: "failed", error: null };

describe("GroupWorker", () => {
  it("keeps a failed pipeline failed and owned through rebalances, and lets it go when the group moves it", async () => {
    const fake = starter();
    const worker = new GroupWorker(fake.start, quiet);
    worker.apply(["a", "b"]);
    fake.end("b", failed);
    await tick();
    expect(worker.owned().sort()).toEqual(["a", "b"]);
    worker.apply(["a", "b"]);
    expect(fake.starts).toEqual(["a", "b"]);
    expect(worker.statuses().map((s) => s.pipeline).sort()).toEqual(["a", "b"]);
    worker.apply(["a"]);
    expect(worker.owned()).toEqual(["a"]);
    expect(worker.statuses().map((s) => s.pipeline)).toEqual(["a"]);
    await worker.close();
  });

  it("starts a pipeline again once it was stopped because the group moved it, then gave it back", async () => {
    const fake = starter();
    const worker = new GroupWorker(fake.start, quiet);
    worker.apply(["a"]);
    worker.apply([]);
    await tick();
    worker.apply(["a"]);
    expect(fake.starts).toEqual(["a", "a"]);
    await worker.close();
  });

  it("takes a fenced pipeline back, but leaves it failed once it is taken over again and again", async () => {
    vi.useFakeTimers();
    try {
      const fake = starter();
      const worker = new GroupWorker(fake.start, quiet);
      worker.apply(["a"]);
      const fenced: PipelineResult = { phase: "failed", error: { code: "fenced" } as PipelineResult["error"] };
      for (let i = 0; i < 5; i++) {
        fake.end("a", fenced);
        await vi.advanceTimersByTimeAsync(3_000);
      }
      expect(fake.starts).toHaveLength(6);
      fake.end("a", fenced);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(fake.starts).toHaveLength(6);
      expect(worker.owned()).toEqual(["a"]);
      const [status] = worker.statuses();
      expect(status?.phase).toBe("failed");
      expect(status?.error?.message).toMatch(/taken over 6 times .* a process outside the group holds it/);
      await worker.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
