// `dts stop` and `dts reload` leave a request in the pipeline's state folder; a folder that
// refuses it gets one line with the way around it, not an unexpected error.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { leaveControlRequest } from "../../src/cli/control-request.js";

describe("leaveControlRequest", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes the request into the state folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-control-"));
    expect(leaveControlRequest("shop", dir, "stop")?.action).toBe("stop");
    expect(JSON.parse(readFileSync(join(dir, "control.json"), "utf8")).action).toBe("stop");
  });

  it("says why and what to do when the folder cannot take it", () => {
    const file = join(mkdtempSync(join(tmpdir(), "dts-control-")), "not-a-folder");
    writeFileSync(file, "");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(leaveControlRequest("shop", file, "reload")).toBeNull();
    const said = stderr.mock.calls.map((c) => String(c[0])).join("");
    expect(said).toContain(`shop: cannot leave the request in its state folder ${file} (ENOTDIR)`);
    expect(said).toContain("send the dts run process SIGHUP");
  });
});
