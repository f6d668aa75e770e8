// Applying a reload verdict to a running pipeline, with a fake runner and session: what is
// adopted, what the session is asked to do, and the outcome kept for the status file.
import { describe, expect, it, vi } from "vitest";
import type { BinlogResumePosition } from "../../src/runtime/checkpoint/checkpoint.js";
import type { PipelineConnections } from "../../src/runtime/connections.js";
import type { Logger } from "../../src/runtime/logger.js";
import { liveChangeRefused, type LiveChangeResult } from "../../src/runtime/session/live-change.js";
import type { StreamingSession } from "../../src/runtime/session/streaming-session.js";
import { reloadPipeline, SpecReloader, type ReloadHooks, type ReloadSpec, type ReloadVerdict, type SpecChangeRecord } from "../../src/runtime/spec-reload.js";
import { edit, pipelineOf, shop } from "../reload/helpers.js";

const base = pipelineOf(shop);
const next = pipelineOf(edit(shop, "(status = 'paid')", "(status = 'shipped')"));
const oldConnections = { source: { address: "db.internal:3306" } } as PipelineConnections;
const newConnections = { source: { address: "db2.internal:3306" } } as PipelineConnections;
const running = { pipeline: base, connections: oldConnections };
const at: BinlogResumePosition = { file: "binlog.000007", offset: 4711, gtidSet: null };
const applied: LiveChangeResult = { position: at, added: ["shop.items"], removed: ["shop.customers"] };

const verdict = (how: "live" | "restart" | "unchanged"): ReloadVerdict => ({ ok: true, pipeline: next, connections: newConnections, how, changes: ["shop.orders: filter changed"] });
const answer = (v: ReloadVerdict): ReloadSpec => async () => v;

function fakeSession(streaming: boolean, applyLive: () => Promise<LiveChangeResult> = async () => applied) {
  return { streaming, applyLive: vi.fn(applyLive) };
}

function fakeTarget(session: ReturnType<typeof fakeSession> | null) {
  const warnings: string[] = [];
  return {
    warnings,
    session: () => session as unknown as StreamingSession | null,
    adopt: vi.fn(),
    restartSession: vi.fn(async () => at),
    log: { info: () => {}, warn: (...args: unknown[]) => void warnings.push(String(args.at(-1))) } as unknown as Logger,
  };
}

describe("reloadPipeline", () => {
  it("keeps a refused verdict with its reason and hint, and leaves the running pipeline alone", async () => {
    const target = fakeTarget(fakeSession(true));
    const record = await reloadPipeline(target, answer({ ok: false, reason: "the specs do not compile", hint: "fix them" }), running, false);
    expect(record).toMatchObject({ result: "refused", how: null, position: null, reason: "the specs do not compile", hint: "fix them" });
    expect(target.adopt).not.toHaveBeenCalled();
    expect(target.warnings).toEqual(["spec change refused"]);
  });

  it("passes the running pipeline and allowBreaking to the reload", async () => {
    const reload = vi.fn(answer(verdict("unchanged")));
    await reloadPipeline(fakeTarget(null), reload, running, true);
    expect(reload).toHaveBeenCalledWith(running, true);
  });

  it("applies a live change in the session, then adopts it, keeping where it took effect", async () => {
    const session = fakeSession(true);
    const target = fakeTarget(session);
    const record = await reloadPipeline(target, answer(verdict("live")), running, false);
    expect(session.applyLive).toHaveBeenCalledWith(next);
    expect(target.adopt).toHaveBeenCalledWith(next, newConnections);
    expect(target.restartSession).not.toHaveBeenCalled();
    expect(record).toMatchObject({ result: "applied", how: "live", position: at, added: ["shop.items"], removed: ["shop.customers"], changes: ["shop.orders: filter changed"], reason: null });
  });

  it("refuses a live change while the session is not streaming, or there is none", async () => {
    for (const session of [fakeSession(false), null]) {
      const target = fakeTarget(session);
      const record = await reloadPipeline(target, answer(verdict("live")), running, false);
      expect(record).toMatchObject({ result: "refused", how: "live", reason: "the pipeline is not streaming right now" });
      if (session) expect(session.applyLive).not.toHaveBeenCalled();
      expect(target.adopt).not.toHaveBeenCalled();
    }
  });

  it("keeps a change the session refuses as refused, with the session's hint, and adopts nothing", async () => {
    const target = fakeTarget(fakeSession(true, async () => Promise.reject(liveChangeRefused("an initial sync is still copying tables", "reload again once it is complete"))));
    const record = await reloadPipeline(target, answer(verdict("live")), running, false);
    expect(record).toMatchObject({ result: "refused", reason: expect.stringContaining("an initial sync is still copying tables"), hint: "reload again once it is complete" });
    expect(target.adopt).not.toHaveBeenCalled();
  });

  it("keeps any other error of the session as failed, and adopts nothing", async () => {
    const target = fakeTarget(fakeSession(true, async () => Promise.reject(new Error("topic shop.items cannot be created"))));
    const record = await reloadPipeline(target, answer(verdict("live")), running, false);
    expect(record).toMatchObject({ result: "failed", reason: "topic shop.items cannot be created", hint: null });
    expect(target.adopt).not.toHaveBeenCalled();
    expect(target.warnings).toEqual(["spec change failed"]);
  });

  it("keeps a reload that throws as failed", async () => {
    const record = await reloadPipeline(fakeTarget(null), async () => Promise.reject(new Error("EACCES: shop.dts")), running, false);
    expect(record).toMatchObject({ result: "failed", reason: "EACCES: shop.dts" });
  });

  it("restarts the session on the adopted spec, keeping the checkpoint it resumes from", async () => {
    const session = fakeSession(true);
    const target = fakeTarget(session);
    target.restartSession.mockImplementation(async () => {
      expect(target.adopt).toHaveBeenCalledWith(next, newConnections);
      return at;
    });
    const record = await reloadPipeline(target, answer(verdict("restart")), running, false);
    expect(target.restartSession).toHaveBeenCalledOnce();
    expect(session.applyLive).not.toHaveBeenCalled();
    expect(record).toMatchObject({ result: "applied", how: "restart", position: at, added: [], removed: [] });
  });

  it("only adopts a restart when no session runs: the next one starts on it", async () => {
    const target = fakeTarget(null);
    const record = await reloadPipeline(target, answer(verdict("restart")), running, false);
    expect(target.adopt).toHaveBeenCalledWith(next, newConnections);
    expect(target.restartSession).not.toHaveBeenCalled();
    expect(record).toMatchObject({ result: "applied", how: "restart", position: null });
  });

  it("keeps an unchanged spec as unchanged without touching the session", async () => {
    const session = fakeSession(true);
    const target = fakeTarget(session);
    const record = await reloadPipeline(target, answer(verdict("unchanged")), running, false);
    expect(record).toMatchObject({ result: "unchanged", how: "unchanged", position: null });
    expect(target.adopt).not.toHaveBeenCalled();
    expect(session.applyLive).not.toHaveBeenCalled();
  });
});

describe("SpecReloader", () => {
  function reloader(reload: ReloadSpec | undefined, session: ReturnType<typeof fakeSession> | null = fakeSession(true)) {
    const records: SpecChangeRecord[] = [];
    const target = fakeTarget(session);
    const hooks: ReloadHooks = { ...target, reload, current: () => running, stopSession: vi.fn(), record: (r) => void records.push(r) };
    return { reloads: new SpecReloader(hooks), records, hooks, warnings: target.warnings };
  }
  const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("refuses a run without spec files", () => {
    const { reloads, records } = reloader(undefined);
    reloads.request(false);
    expect(records).toEqual([expect.objectContaining({ result: "refused", reason: "this run has no spec files to read again" })]);
  });

  it("applies one reload at a time; requests meanwhile make one more that follows, so each gets an answer", async () => {
    let answerNow: (v: ReloadVerdict) => void = () => {};
    const reload = vi.fn((_running: unknown, _allowBreaking: boolean) => new Promise<ReloadVerdict>((resolve) => (answerNow = resolve)));
    const { reloads, records } = reloader(reload);
    reloads.request(false);
    reloads.request(true);
    reloads.request(false);
    expect(reload).toHaveBeenCalledOnce();
    answerNow(verdict("unchanged"));
    await settled();
    expect(records.map((r) => r.result)).toEqual(["unchanged"]);
    // The two requests that came meanwhile: one more reload, allowing breaking changes as one of them did.
    expect(reload).toHaveBeenCalledTimes(2);
    expect(reload.mock.calls[1]?.[1]).toBe(true);
    answerNow(verdict("unchanged"));
    await settled();
    expect(records.map((r) => r.result)).toEqual(["unchanged", "unchanged"]);
    reloads.request(false);
    expect(reload).toHaveBeenCalledTimes(3);
  });

  it("ends the session for a restart and keeps the outcome once the runner reports the checkpoint", async () => {
    const { reloads, records, hooks } = reloader(answer(verdict("restart")));
    reloads.request(true);
    await settled();
    expect(hooks.stopSession).toHaveBeenCalledOnce();
    expect(reloads.restartPending).toBe(true);
    expect(records).toEqual([]);
    reloads.sessionRestarted(at);
    await settled();
    expect(reloads.restartPending).toBe(false);
    expect(records).toEqual([expect.objectContaining({ result: "applied", how: "restart", position: at })]);
  });
});
