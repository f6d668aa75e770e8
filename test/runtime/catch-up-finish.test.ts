// A migration finishes once caught up: an idle reader and acknowledged messages are not enough
// on their own (on a slow link the reader idles while the server has more), so the finish also
// waits until what was delivered reaches the server's binlog position of that moment.
import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import { CatchUpFinish } from "../../src/runtime/catch-up-finish.js";

const migration = { mode: "migrate", stopWhenCaughtUp: true } as Pipeline;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("CatchUpFinish", () => {
  it("finishes only once everything up to the server's position when it seemed caught up is delivered", async () => {
    const finish = new CatchUpFinish(migration);
    let asked = 0;
    const server = async () => (asked++, { file: "bin.000002", offset: 500 });
    expect(finish.due(true, { file: "bin.000002", offset: 100 }, server)).toBe(false);
    expect(finish.due(true, { file: "bin.000002", offset: 100 }, server)).toBe(false);
    await settle();
    expect(asked).toBe(1);
    // The reader idles, all is acknowledged, but the server had written up to 500: not yet.
    expect(finish.due(true, { file: "bin.000002", offset: 300 }, server)).toBe(false);
    expect(finish.due(true, { file: "bin.000002", offset: 500 }, server)).toBe(true);
    expect(finish.finishing).toBe(true);
    expect(asked).toBe(1);
  });

  it("asks again in a new session, and not before it was wanted", async () => {
    const finish = new CatchUpFinish({ mode: "sync" } as Pipeline);
    const server = async () => ({ file: "bin.000001", offset: 10 });
    expect(finish.due(true, { file: "bin.000001", offset: 10 }, server)).toBe(false);
    expect(finish.due(true, { file: "bin.000001", offset: 10 }, server)).toBe(false);
    expect(finish.request()).toBe(true);
    finish.due(true, { file: "bin.000001", offset: 10 }, server);
    finish.due(true, { file: "bin.000001", offset: 10 }, server);
    await settle();
    finish.sessionStarted();
    expect(finish.due(true, { file: "bin.000001", offset: 10 }, server)).toBe(false);
    await settle();
    expect(finish.due(true, { file: "bin.000001", offset: 10 }, server)).toBe(true);
  });
});
