// The benchmark waits after a load until InnoDB stopped flushing and purging (bench/lib/source-settle.ts),
// on the server's status counters, polled on a fake clock here.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Connection } from "mysql2/promise";
import { waitForQuietSource } from "../../bench/lib/source-settle.js";

/** A connection whose InnoDB status follows `states`, one per poll (the last repeats). */
function server(states: Array<{ dirty: number; history: number }>): { conn: Connection; polls: () => number } {
  let poll = 0;
  const query = async () => {
    const state = states[Math.min(poll++, states.length - 1)] as { dirty: number; history: number };
    const rows = [
      { Variable_name: "Innodb_buffer_pool_pages_dirty", Value: String(state.dirty) },
      { Variable_name: "Innodb_buffer_pool_pages_total", Value: "65536" },
      { Variable_name: "Innodb_history_list_length", Value: String(state.history) },
    ];
    return [rows, []];
  };
  return { conn: { query } as unknown as Connection, polls: () => poll };
}

describe("waiting for a quiet source", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("waits while the page cleaner flushes, then 2 s of an unchanged count", async () => {
    const { conn, polls } = server([{ dirty: 9000, history: 0 }, { dirty: 6000, history: 0 }, { dirty: 3000, history: 0 }, { dirty: 542, history: 0 }]);
    const waited = waitForQuietSource(conn, () => undefined);
    await vi.advanceTimersByTimeAsync(10_000);
    // Four polls to reach 542, then 2 s (eight polls of 250 ms) of it unchanged.
    expect(await waited).toBeCloseTo(2.75, 1);
    expect(polls()).toBe(12);
  });

  it("waits for the purge too", async () => {
    const { conn } = server([{ dirty: 0, history: 50_000 }, { dirty: 0, history: 20_000 }, { dirty: 0, history: 10 }]);
    const waited = waitForQuietSource(conn, () => undefined);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await waited).toBeCloseTo(0.5, 1);
  });

  it("gives up after two minutes, saying how far it got", async () => {
    let dirty = 1_000_000;
    const { conn } = server(Array.from({ length: 1000 }, () => ({ dirty: dirty--, history: 0 })));
    const said: string[] = [];
    const waited = waitForQuietSource(conn, (message) => said.push(message));
    await vi.advanceTimersByTimeAsync(130_000);
    expect(await waited).toBeGreaterThan(120);
    expect(said[0]).toMatch(/^waiting for the source to settle: \d+ of 65536 buffer pool pages dirty, history list 0$/);
  });
});
