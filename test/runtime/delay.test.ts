// The delay is 0 only when the pipeline is really caught up, the true lag while it is behind,
// and unknown with a reason when nothing tells it; never a made-up 0.
import { describe, expect, it } from "vitest";
import { DelayMeter, measureDelay, type DelayFacts } from "../../src/runtime/delay.js";
import { createMetrics } from "../../src/runtime/observe/metrics.js";

const now = Date.parse("2026-11-30T08:00:00Z");
const seconds = now / 1000;

function facts(extra: Partial<DelayFacts> = {}): DelayFacts {
  return { streaming: true, caughtUp: true, snapshotting: false, oldestPendingSeconds: null, deliveredSeconds: seconds - 5, lastContactAt: now - 500, heartbeatPeriodSeconds: 10, ...extra };
}

describe("measureDelay", () => {
  it("is unknown without a stream", () => {
    expect(measureDelay(null, now)).toEqual({ seconds: null, reason: "not connected to the source" });
    expect(measureDelay(facts({ streaming: false }), now)).toEqual({ seconds: null, reason: "not connected to the source" });
  });

  it("is 0 when caught up and the server was heard from within the period (an idle server's heartbeats are delivered as they come)", () => {
    expect(measureDelay(facts(), now)).toEqual({ seconds: 0, reason: null });
    expect(measureDelay(facts({ lastContactAt: now - 15_000 }), now)).toEqual({ seconds: 0, reason: null });
    expect(measureDelay(facts({ deliveredSeconds: seconds - 15 }), now)).toEqual({ seconds: 0, reason: null });
  });

  it("counts from the last delivered commit when the reader idles on a slow link, bytes still arriving", () => {
    expect(measureDelay(facts({ deliveredSeconds: seconds - 45, lastContactAt: now - 100 }), now)).toEqual({ seconds: 45, reason: null });
  });

  it("is unknown after a restart or reconnect until the session delivered a heartbeat or commit, not the time since the last one before it", () => {
    // The dump's first bytes are fresh contact; what was delivered last is 46 s old, from before the outage.
    const reconnected = facts({ deliveredSeconds: seconds - 46, deliveredInSession: false });
    expect(measureDelay(reconnected, now)).toEqual({ seconds: null, reason: "waiting for the source's first heartbeat in this session" });
    expect(measureDelay({ ...reconnected, deliveredSeconds: seconds, deliveredInSession: true }, now)).toEqual({ seconds: 0, reason: null });
    // A short restart: what it delivered last is recent, so the pipeline is current at once.
    expect(measureDelay({ ...reconnected, deliveredSeconds: seconds - 3 }, now)).toEqual({ seconds: 0, reason: null });
    expect(measureDelay({ ...reconnected, deliveredSeconds: null }, now)).toEqual({ seconds: 0, reason: null });
  });

  it("is unknown when caught up but the server has been silent for more than 1.5 periods", () => {
    expect(measureDelay(facts({ lastContactAt: now - 16_000 }), now)).toEqual({ seconds: null, reason: "no event or heartbeat from the source for 16s" });
    expect(measureDelay(facts({ lastContactAt: null }), now)).toEqual({ seconds: null, reason: "nothing received from the source yet" });
  });

  it("while behind, counts from the oldest transaction not yet acknowledged", () => {
    expect(measureDelay(facts({ caughtUp: false, oldestPendingSeconds: seconds - 42 }), now)).toEqual({ seconds: 42, reason: null });
  });

  it("while behind with nothing pending, counts from the last delivered commit (or heartbeat)", () => {
    expect(measureDelay(facts({ caughtUp: false, deliveredSeconds: seconds - 7 }), now)).toEqual({ seconds: 7, reason: null });
  });

  it("is never negative when the source's clock is ahead", () => {
    expect(measureDelay(facts({ caughtUp: false, oldestPendingSeconds: seconds + 5 }), now)).toEqual({ seconds: 0, reason: null });
  });

  it("is unknown while behind with no commit time known, saying when an initial sync runs", () => {
    expect(measureDelay(facts({ caughtUp: false, deliveredSeconds: null }), now)).toEqual({ seconds: null, reason: "no binlog event with a commit time read yet" });
    expect(measureDelay(facts({ caughtUp: false, deliveredSeconds: null, snapshotting: true }), now).reason).toMatch(/^the initial sync is copying tables/);
  });
});

describe("DelayMeter", () => {
  it("remembers since when the delay is unknown, and forgets it once known", () => {
    const meter = new DelayMeter(300, undefined, now - 60_000);
    expect(meter.update(null, now)).toEqual({ delaySeconds: null, delayReason: "not connected to the source", delayUnknownSince: new Date(now - 60_000).toISOString(), maxDelaySeconds: 300 });
    expect(meter.update(facts(), now + 1000)).toMatchObject({ delaySeconds: 0, delayReason: null, delayUnknownSince: null });
    expect(meter.update(null, now + 2000).delayUnknownSince).toBe(new Date(now + 2000).toISOString());
  });

  it("keeps dts_delay_seconds and dts_delay_known in step: no delay sample and known 0 while unknown", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const meter = new DelayMeter(null, metrics.pipeline("shop"), now);
    expect(await metrics.render()).not.toContain('dts_delay_seconds{pipeline="shop"}');
    expect(await metrics.render()).toContain('dts_delay_known{pipeline="shop"} 0');
    meter.update(facts({ caughtUp: false, oldestPendingSeconds: seconds - 9 }), now);
    expect(await metrics.render()).toContain('dts_delay_seconds{pipeline="shop"} 9');
    expect(await metrics.render()).toContain('dts_delay_known{pipeline="shop"} 1');
    meter.update(null, now);
    expect(await metrics.render()).not.toContain('dts_delay_seconds{pipeline="shop"}');
  });
});
