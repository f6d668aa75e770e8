import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DelayMeter } from "../../src/runtime/delay.js";
import type { Logger } from "../../src/runtime/logger.js";
import { StatusFile } from "../../src/runtime/status-file.js";

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function recordingLog() {
  const lines: string[] = [];
  const log = { warn: (_: object, msg: string) => lines.push(`warn ${msg}`), info: (_: object, msg: string) => lines.push(`info ${msg}`) } as unknown as Logger;
  return { log, lines };
}

describe("StatusFile", () => {
  it("says once a minute that the status file cannot be written, and when it can again", () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const root = mkdtempSync(join(tmpdir(), "dts-status-file-"));
    dirs.push(root);
    const stateDir = join(root, "state");
    writeFileSync(stateDir, "a file where the folder should be");
    const { log, lines } = recordingLog();
    const file = new StatusFile(stateDir, "p", null, new DelayMeter(null, null), log);
    for (let second = 0; second < 90; second++) {
      file.write(null);
      vi.advanceTimersByTime(1000);
    }
    expect(lines.filter((l) => l.startsWith("warn cannot write the status file"))).toHaveLength(2);
    rmSync(stateDir);
    mkdirSync(stateDir);
    file.write(null);
    file.write(null);
    expect(lines.at(-1)).toBe("info status file written again");
    expect(lines.filter((l) => l === "info status file written again")).toHaveLength(1);
  });

  it("serves the running session's messages in the status, as the file has them, and no rate between sessions", () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const root = mkdtempSync(join(tmpdir(), "dts-status-file-"));
    dirs.push(root);
    const file = new StatusFile(root, "p", null, new DelayMeter(null, null), recordingLog().log);
    const session = { ackedMessages: 0, snapshotTotals: null, delayFacts: null };
    file.write(session);
    vi.advanceTimersByTime(1000);
    session.ackedMessages = 3021;
    file.write(session);
    expect(file.current().messagesTotal).toBe(3021);
    expect(JSON.parse(readFileSync(join(root, "status.json"), "utf8")).messagesTotal).toBe(3021);
    expect(file.current().eventsPerSecond).toBe(3021);
    file.sessionEnded(session);
    expect(file.current()).toMatchObject({ messagesTotal: 3021, eventsPerSecond: 0 });
  });
});
