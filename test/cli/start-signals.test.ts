// `dts run` answers SIGINT, SIGTERM and SIGHUP from its first line: a signal that finds no
// listener takes Node's default action, and a SIGHUP (a service manager's reload) then kills a
// starting run with 129. Before the runtime has them, SIGTERM ends the start cleanly and SIGHUP
// says what became of it; after, the runtime's own handlers answer.
import { afterEach, describe, expect, it, vi } from "vitest";

type Counts = { SIGHUP: number; SIGTERM: number; SIGINT: number };

const during = vi.hoisted(() => ({ listeners: null as Counts | null }));

vi.mock("../../src/cli/spec-files.js", async (original) => ({
  ...(await original<typeof import("../../src/cli/spec-files.js")>()),
  compileSpecFiles: () => {
    during.listeners = { SIGHUP: process.listenerCount("SIGHUP"), SIGTERM: process.listenerCount("SIGTERM"), SIGINT: process.listenerCount("SIGINT") };
    return null;
  },
}));

const { holdStartSignals } = await import("../../src/cli/start-signals.js");
const { run } = await import("../../src/cli/run.js");

function counts(): Counts {
  return { SIGHUP: process.listenerCount("SIGHUP"), SIGTERM: process.listenerCount("SIGTERM"), SIGINT: process.listenerCount("SIGINT") };
}

function captureStderr(): { text: () => string } {
  let text = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  return { text: () => text };
}

afterEach(() => void vi.restoreAllMocks());

describe("dts run's signals during its start", () => {
  it("are answered while the specs are read, and let go when it returns", async () => {
    const before = counts();
    captureStderr();
    expect(await run(["shop.dts"])).toBe(1);
    expect(during.listeners).toEqual({ SIGHUP: before.SIGHUP + 1, SIGTERM: before.SIGTERM + 1, SIGINT: before.SIGINT + 1 });
    expect(counts()).toEqual(before);
  });

  it("SIGHUP says what became of it at each stage, and nothing once the runtime has it", () => {
    const stderr = captureStderr();
    const signals = holdStartSignals();
    try {
      process.emit("SIGHUP", "SIGHUP");
      signals.specsRead(false);
      process.emit("SIGHUP", "SIGHUP");
      signals.specsRead(true);
      process.emit("SIGHUP", "SIGHUP");
      signals.handOver();
      process.emit("SIGHUP", "SIGHUP");
    } finally {
      signals.release();
    }
    expect(stderr.text().split("\n")).toEqual([
      "dts run: SIGHUP during start-up: the spec files are being read now anyway",
      "dts run: SIGHUP during start-up is not applied: the pipelines start with the spec files as they were read; send it again (or run dts reload) once they run",
      "dts run: SIGHUP ignored: a group worker does not reload its specs; restart the workers one at a time with the new specs",
      "",
    ]);
  });

  it("SIGTERM ends the start with exit 0 before the runtime has it, and is left to the runtime after", () => {
    const stderr = captureStderr();
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const signals = holdStartSignals();
    try {
      signals.specsRead(false);
      process.emit("SIGTERM", "SIGTERM");
      expect(exit).toHaveBeenCalledWith(0);
      expect(stderr.text()).toBe("dts run: stopped before the pipeline started\n");
      exit.mockClear();
      signals.handOver();
      process.emit("SIGTERM", "SIGTERM");
      process.emit("SIGINT", "SIGINT");
      expect(exit).not.toHaveBeenCalled();
    } finally {
      signals.release();
    }
  });

  it("are the same ones when an entrypoint took them before the CLI loaded", () => {
    const early = holdStartSignals();
    expect(holdStartSignals()).toBe(early);
    early.release();
    const next = holdStartSignals();
    expect(next).not.toBe(early);
    next.release();
  });
});
