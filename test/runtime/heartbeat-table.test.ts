// The heartbeat table: created only when missing, one upserted row per pipeline every interval,
// a failing write logged once per run of failures, and a table that cannot be created stops
// the session with what to run.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type mysql from "mysql2/promise";
import type { Logger } from "../../src/runtime/logger.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { HeartbeatTableWriter } from "../../src/runtime/source/heartbeat-table.js";

const table = { database: "ops", table: "dts_heartbeat", intervalSeconds: 5 };

function control(options: { exists?: boolean; fail?: (sql: string) => Error | null } = {}) {
  const sent: { sql: string; params?: unknown[] }[] = [];
  const connection = {
    query: async (sql: string, params?: unknown[]) => {
      sent.push({ sql, params });
      const error = options.fail?.(sql);
      if (error) throw error;
      return [sql.startsWith("SELECT 1 FROM information_schema") ? (options.exists ? [{ 1: 1 }] : []) : { affectedRows: 1 }];
    },
  };
  return { connection: connection as unknown as mysql.Connection, sent };
}

function logger() {
  const lines: string[] = [];
  const log = { warn: (_: unknown, msg: string) => lines.push(`warn ${msg}`), info: (_: unknown, msg: string) => lines.push(`info ${msg}`) };
  return { log: log as unknown as Logger, lines };
}

describe("HeartbeatTableWriter", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("creates a missing table, then upserts the pipeline's row at once and every interval", async () => {
    const { connection, sent } = control();
    const writer = new HeartbeatTableWriter(connection, table, "shop", logger().log);
    await writer.start();
    expect(sent.map((s) => s.sql)).toEqual([
      "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
      "CREATE TABLE IF NOT EXISTS `ops`.`dts_heartbeat` (pipeline VARCHAR(255) NOT NULL PRIMARY KEY, beat_at DATETIME(6) NOT NULL)",
      "INSERT INTO `ops`.`dts_heartbeat` (pipeline, beat_at) VALUES (?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE beat_at = VALUES(beat_at)",
    ]);
    expect(sent[2]?.params).toEqual(["shop"]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(5);
    writer.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(5);
  });

  it("leaves an existing table alone", async () => {
    const { connection, sent } = control({ exists: true });
    await new HeartbeatTableWriter(connection, table, "shop", logger().log).start();
    expect(sent.some((s) => s.sql.startsWith("CREATE"))).toBe(false);
  });

  it("logs a failing write once, and once more when writes work again", async () => {
    let failing = true;
    const { connection } = control({ exists: true, fail: (sql) => (failing && sql.startsWith("INSERT") ? new Error("INSERT command denied") : null) });
    const { log, lines } = logger();
    const writer = new HeartbeatTableWriter(connection, table, "shop", log);
    await writer.start();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(lines).toEqual(["warn cannot write the heartbeat row; the checkpoint of an idle server stops moving until it works again"]);
    failing = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(lines.at(-1)).toBe("info heartbeat rows are written again");
    writer.stop();
  });

  it("stops the session with the table's name and what to run when it cannot be created", async () => {
    const denied = Object.assign(new Error("CREATE command denied to user 'dts'@'%' for table `ops`.`dts_heartbeat`"), { errno: 1142 });
    const { connection } = control({ fail: (sql) => (sql.startsWith("CREATE") ? denied : null) });
    const error = await new HeartbeatTableWriter(connection, table, "shop", logger().log).start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).retriable).toBe(false);
    expect((error as RuntimeError).message).toBe("cannot create the heartbeat table ops.dts_heartbeat: CREATE command denied to user 'dts'@'%' for table `ops`.`dts_heartbeat`");
    expect((error as RuntimeError).hint).toContain("grant CREATE, INSERT, UPDATE on `ops`.`dts_heartbeat`");
  });
});
