// A checkpoint that cannot be written leaves the stream running, but says so: in the status
// until a write succeeds, and in the log once a minute rather than every tick.
import { describe, expect, it } from "vitest";
import { CheckpointWrites } from "../../src/runtime/checkpoint/write-failures.js";
import { RuntimeError } from "../../src/runtime/errors.js";

function recordingLog() {
  const lines: { level: string; msg: string }[] = [];
  const log = { error: (_: unknown, msg: string) => lines.push({ level: "error", msg }), info: (_: unknown, msg: string) => lines.push({ level: "info", msg }) };
  return { log: log as never, lines };
}

describe("CheckpointWrites", () => {
  it("reports failing writes in the status since the first, logs once a minute, and clears on success", () => {
    let now = Date.parse("2026-12-01T10:00:00Z");
    const { log, lines } = recordingLog();
    const writes = new CheckpointWrites(log, () => now);
    const refused = () => {
      throw new RuntimeError("checkpoint", "cannot write checkpoint /state/p/checkpoint.json", { hint: "check free disk space and permissions of the state folder" });
    };
    const first = writes.attempt(refused);
    expect(first?.message).toBe("checkpoint not written since 2026-12-01T10:00:00.000Z: cannot write checkpoint /state/p/checkpoint.json");
    expect(first?.hint).toBe("check free disk space and permissions of the state folder");
    expect(first?.code).toBe("DTS5011");
    now += 30_000;
    expect(writes.attempt(refused)?.message).toContain("since 2026-12-01T10:00:00.000Z");
    now += 31_000;
    writes.attempt(refused);
    expect(lines.filter((l) => l.level === "error")).toHaveLength(2);
    expect(writes.attempt(() => undefined)).toBeNull();
    expect(lines.at(-1)?.msg).toBe("checkpoint written again");
    expect(writes.attempt(() => undefined)).toBeNull();
    expect(lines).toHaveLength(3);
  });
});

describe("CheckpointWrites.last", () => {
  it("logs a failed last write at once and returns an error saying what a restart does; a good one clears the failure", () => {
    const { log, lines } = recordingLog();
    const writes = new CheckpointWrites(log);
    const refused = () => {
      throw new RuntimeError("checkpoint", "cannot write checkpoint /state/p/checkpoint.json", { hint: "check free disk space and permissions of the state folder" });
    };
    writes.attempt(refused);
    const error = writes.last(refused);
    expect(error?.message).toBe("the last checkpoint could not be written: cannot write checkpoint /state/p/checkpoint.json; a restart resumes from the last checkpoint written and sends the changes after it again");
    expect(error?.hint).toBe("check free disk space and permissions of the state folder");
    expect(lines.map((l) => l.level)).toEqual(["error", "error"]);
    expect(writes.last(() => undefined)).toBeNull();
    expect(lines.at(-1)?.msg).toBe("checkpoint written again");
  });
});
