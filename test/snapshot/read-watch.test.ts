import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/runtime/logger.js";
import { ReadWatch } from "../../src/runtime/snapshot/read-watch.js";

const lines: [string, Record<string, unknown>, string][] = [];
const log = {
  warn: (fields: Record<string, unknown>, msg: string) => lines.push(["warn", fields, msg]),
  info: (fields: Record<string, unknown>, msg: string) => lines.push(["info", fields, msg]),
  debug: (fields: Record<string, unknown>, msg: string) => lines.push(["debug", fields, msg]),
} as unknown as Logger;

let now = 0;
let watch: ReadWatch | null = null;
afterEach(() => {
  watch?.stop();
  lines.length = 0;
  now = 0;
});

/** A watch over a process list that shows `states` by thread id; records the thread ids asked for. */
function watching(states: Record<number, string>, asked: number[][] = []): ReadWatch {
  const query = async (_sql: string, params: unknown[]) => {
    const ids = params[0] as number[];
    asked.push(ids);
    return ids.filter((id) => id in states).map((id) => ({ id, state: states[id] }));
  };
  watch = new ReadWatch(query, log, { intervalMs: 60_000, now: () => now });
  return watch;
}

describe("the initial sync's read watch", () => {
  it("asks only about reads running 10 s or longer, and warns once about one waiting on a lock", async () => {
    const asked: number[][] = [];
    const w = watching({ 7: "Waiting for table metadata lock", 8: "Sending data" }, asked);
    w.began(7, "shop.orders");
    now = 5_000;
    w.began(8, "shop.items");
    await w.look();
    expect(asked).toEqual([]);
    now = 15_000;
    await w.look();
    expect(asked).toEqual([[7, 8]]);
    expect(lines).toEqual([["warn", expect.objectContaining({ table: "shop.orders", serverThread: 7, serverState: "Waiting for table metadata lock", waitedSeconds: 15 }), expect.stringMatching(/^the initial sync's read of shop.orders has waited 15 s for a lock/)]]);
    now = 20_000;
    await w.look();
    expect(asked).toEqual([[7, 8], [8]]);
    expect(lines.length).toBe(1);
    now = 42_000;
    w.ended(7);
    w.ended(8);
    expect(lines[1]).toEqual(["info", { table: "shop.orders", waitedSeconds: 42 }, "the initial sync's read of the table goes on: the wait ended"]);
    expect(lines.length).toBe(2);
  });

  it("says nothing about reads that end or whose thread is unknown, and survives a failed question", async () => {
    const w = new ReadWatch(async () => Promise.reject(new Error("connection lost")), log, { intervalMs: 60_000, now: () => now });
    watch = w;
    w.began(undefined, "shop.orders");
    w.began(3, "shop.items");
    now = 30_000;
    await w.look();
    w.ended(3);
    expect(lines.map(([level]) => level)).toEqual(["debug"]);
  });
});
