// `dts reload` reaches a running pipeline through the control file in its state folder: the
// request and its --allow-breaking survive the trip, and are acted on once.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { takeControlRequest, writeControlRequest } from "../../src/control/index.js";

describe("reload requests in the control file", () => {
  let stateDir = "";
  beforeEach(() => void (stateDir = mkdtempSync(join(tmpdir(), "dts-control-"))));
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it("carries allowBreaking to the pipeline, once", () => {
    const written = writeControlRequest(stateDir, "reload", { allowBreaking: true });
    expect(takeControlRequest(stateDir)).toEqual({ action: "reload", requestedAt: written.requestedAt, allowBreaking: true });
    expect(existsSync(join(stateDir, "control.json"))).toBe(false);
    expect(takeControlRequest(stateDir)).toBeNull();
  });

  it("leaves allowBreaking out of a plain reload", () => {
    writeControlRequest(stateDir, "reload");
    const request = takeControlRequest(stateDir);
    expect(request).toMatchObject({ action: "reload" });
    expect(request?.allowBreaking).toBeUndefined();
  });

  it("keeps only the latest request", () => {
    writeControlRequest(stateDir, "reload", { allowBreaking: true });
    writeControlRequest(stateDir, "stop");
    expect(takeControlRequest(stateDir)).toMatchObject({ action: "stop" });
  });

  it("ignores a request with an unknown action, and removes it", () => {
    writeFileSync(join(stateDir, "control.json"), JSON.stringify({ action: "reboot", requestedAt: new Date().toISOString() }));
    expect(takeControlRequest(stateDir)).toBeNull();
    expect(existsSync(join(stateDir, "control.json"))).toBe(false);
  });
});
