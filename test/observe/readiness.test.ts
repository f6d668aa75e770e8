// /readyz with max_delay: 503 once the delay passes it, or once it has been unknown for longer.
import { describe, expect, it } from "vitest";
import { readiness } from "../../src/runtime/observe/readiness.js";
import { status } from "./status-fixtures.js";

const now = Date.parse("2026-11-30T08:00:00Z");
const ago = (s: number) => new Date(now - s * 1000).toISOString();

describe("readiness and max_delay", () => {
  it("without max_delay, any delay or an unknown one is ready as before", () => {
    expect(readiness([status("a", { delaySeconds: 99_999 }), status("b", { delaySeconds: null, delayReason: "not connected to the source", delayUnknownSince: ago(3600) })], now)).toEqual({ ready: true, reasons: [] });
  });

  it("is not ready once the delay is above max_delay, naming both", () => {
    expect(readiness([status("a", { delaySeconds: 300, maxDelaySeconds: 300 })], now).ready).toBe(true);
    expect(readiness([status("a", { delaySeconds: 301, maxDelaySeconds: 300 })], now)).toEqual({ ready: false, reasons: ["a is 301s behind the source, more than max_delay 300s"] });
  });

  it("tolerates an unknown delay for max_delay, then reports it with the reason", () => {
    const unknown = (since: number) => status("a", { delaySeconds: null, delayReason: "no event or heartbeat from the source for 16s", delayUnknownSince: ago(since), maxDelaySeconds: 60 });
    expect(readiness([unknown(30)], now).ready).toBe(true);
    expect(readiness([unknown(61)], now)).toEqual({ ready: false, reasons: ["a's delay has been unknown for 61s, longer than max_delay 60s: no event or heartbeat from the source for 16s"] });
  });

  it("an initial sync is ready whatever its delay, as before", () => {
    expect(readiness([status("a", { phase: "snapshotting", delaySeconds: 9000, maxDelaySeconds: 60 })], now).ready).toBe(true);
  });

  it("the phase still comes first", () => {
    expect(readiness([status("a", { phase: "retrying", delaySeconds: null, maxDelaySeconds: 60, delayUnknownSince: ago(1) })], now).reasons).toEqual(["a is retrying"]);
  });
});
