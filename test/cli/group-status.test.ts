// Which pipelines of a group make `dts status --group` exit 1.
import { describe, expect, it } from "vitest";
import { unhealthyInGroup } from "../../src/cli/group-status.js";
import type { ObservationRow } from "../../src/cli/status-table.js";
import { status } from "../observe/status-fixtures.js";

const row = (worker: string | null, observed: ReturnType<typeof status> | null): ObservationRow => ({ pipeline: "shop", stateDir: "", from: observed ? "http" : "none", alive: observed !== null, status: observed, worker });

describe("dts status --group", () => {
  it("flags a pipeline no worker runs, a failed one, and one whose worker does not answer", () => {
    expect(unhealthyInGroup(row("w1", status("shop")))).toBe(false);
    expect(unhealthyInGroup(row(null, null))).toBe(true);
    expect(unhealthyInGroup(row("w1", status("shop", { phase: "failed" })))).toBe(true);
    expect(unhealthyInGroup(row("w1", null))).toBe(true);
  });
});
