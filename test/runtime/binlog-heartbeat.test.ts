// The watchdog fails a stream that carried nothing for two heartbeat periods, and only then.
import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RuntimeError } from "../../src/runtime/errors.js";
import { prepareDumpSession, SilenceWatchdog } from "../../src/runtime/source/binlog-heartbeat.js";

describe("SilenceWatchdog", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  function watch(periodSeconds = 1) {
    const failures: RuntimeError[] = [];
    const socket = new EventEmitter();
    const dog = new SilenceWatchdog(periodSeconds, "db.internal:3306", (e) => failures.push(e));
    dog.start(socket);
    return { dog, socket, failures };
  }

  it("fails a silent stream after two periods with a retriable error naming the server", () => {
    const { failures } = watch();
    vi.advanceTimersByTime(2000);
    expect(failures).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.retriable).toBe(true);
    expect(failures[0]?.message).toMatch(/^no binlog event or heartbeat from db\.internal:3306 for 2s \(heartbeat period 1s\)/);
    vi.advanceTimersByTime(10_000);
    expect(failures).toHaveLength(1);
  });

  it("events and bytes on the socket keep it alive, and both count as contact", () => {
    const { dog, socket, failures } = watch();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(1500);
      if (i % 2) dog.contact();
      else socket.emit("data");
    }
    expect(failures).toEqual([]);
    expect(dog.lastContactAt).toBe(Date.now());
  });

  it("does not count silence while the reader is paused, and counts afresh after resuming", () => {
    const { dog, failures } = watch();
    dog.suspend();
    vi.advanceTimersByTime(10_000);
    expect(failures).toEqual([]);
    dog.resume();
    vi.advanceTimersByTime(1900);
    expect(failures).toEqual([]);
    vi.advanceTimersByTime(600);
    expect(failures).toHaveLength(1);
  });

  it("does not blame the server for a time this process stood still (SIGSTOP), and counts afresh after it", () => {
    const { failures } = watch();
    vi.advanceTimersByTime(500);
    // The clock moves 200 s while no timer runs, as for a stopped process.
    vi.setSystemTime(Date.now() + 200_000);
    vi.advanceTimersByTime(300);
    expect(failures).toEqual([]);
    vi.advanceTimersByTime(1900);
    expect(failures).toEqual([]);
    vi.advanceTimersByTime(600);
    expect(failures).toHaveLength(1);
  });

  it("is quiet once stopped", () => {
    const { dog, socket, failures } = watch();
    dog.stop();
    expect(socket.listenerCount("data")).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(failures).toEqual([]);
  });
});

describe("prepareDumpSession", () => {
  it("asks for the period in nanoseconds on the binlog connection, time for a paused reader, and no idle timeout on the control connection", () => {
    const sent: string[] = [];
    const connection = { query: (sql: string) => void sent.push(sql) };
    prepareDumpSession({ connection, ctrlConnection: connection } as never, 10, () => undefined);
    expect(sent).toEqual(["SET @master_heartbeat_period = 10000000000, @source_heartbeat_period = 10000000000, SESSION net_write_timeout = 3600", "SET SESSION wait_timeout = 31536000"]);
  });
});
