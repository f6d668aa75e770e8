// Seeding zongji's GTID tracking for a stream opened by file and offset mid-file: MariaDB's
// domain-server-sequence position and MySQL's UUID:interval set are each parsed as their own
// kind, and a seed never overrides one zongji already has. A stream MariaDB opens by position
// takes its seed from BINLOG_GTID_POS, else from the checkpoint it resumes.
import { describe, expect, it } from "vitest";
import type { Connection } from "mysql2/promise";
import type { Logger } from "../../src/runtime/logger.js";
import type { StreamStart } from "../../src/runtime/source/binlog-reader.js";
import { openMariadbStart } from "../../src/runtime/source/gtid-position.js";
import { seedGtidTracking } from "../../src/runtime/source/zongji-fixes.js";

describe("seedGtidTracking", () => {
  it("parses a MariaDB position and a MySQL set each as its kind", () => {
    const mariadb = { _executedGtids: null as unknown };
    seedGtidTracking(mariadb, "0-1-42,1-2-7");
    expect(String(mariadb._executedGtids)).toBe("0-1-42,1-2-7");
    const mysql = { _executedGtids: null as unknown };
    seedGtidTracking(mysql, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23");
    expect(String(mysql._executedGtids)).toBe("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23");
  });

  it("keeps a seed zongji already has", () => {
    const seeded = { _executedGtids: "already" as unknown };
    seedGtidTracking(seeded, "0-1-1");
    expect(seeded._executedGtids).toBe("already");
  });
});

describe("openMariadbStart", () => {
  const control = (pos: string | null) => ({ query: async () => [[{ pos }]] }) as unknown as Connection;
  const checkpoint = { file: "mariadb-bin.000005", offset: 900, gtidSet: "0-1-42" };
  const warnings = () => {
    const seen: string[] = [];
    return { seen, log: { warn: (_fields: unknown, message: string) => void seen.push(message) } as unknown as Pick<Logger, "warn"> };
  };

  it("keeps the checkpoint's GTID position, with a warning, when the server cannot say its own there", async () => {
    // MariaDB's BINLOG_GTID_POS answers NULL past an event larger than max_allowed_packet.
    const start: StreamStart = { kind: "position", file: checkpoint.file, offset: checkpoint.offset };
    const { seen, log } = warnings();
    await openMariadbStart(control(null), start, checkpoint, "db1:3306", log);
    expect(start.gtidSeed).toBe("0-1-42");
    expect(seen[0]).toMatch(/BINLOG_GTID_POS is NULL.*checkpoint's GTID position is kept/);
  });

  it("warns that GTIDs are not tracked when there is no checkpoint to take them from", async () => {
    const start: StreamStart = { kind: "position", file: "mariadb-bin.000001", offset: 4 };
    const { seen, log } = warnings();
    await openMariadbStart(control(null), start, null, "db1:3306", log);
    expect(start.gtidSeed).toBeUndefined();
    expect(seen[0]).toMatch(/carry no GTID position/);
  });

  it("seeds from the server and refuses a binlog that was reset", async () => {
    const start: StreamStart = { kind: "position", file: checkpoint.file, offset: checkpoint.offset };
    await openMariadbStart(control("0-1-42"), start, checkpoint, "db1:3306", warnings().log);
    expect(start.gtidSeed).toBe("0-1-42");
    const reset: StreamStart = { kind: "position", file: checkpoint.file, offset: checkpoint.offset };
    await expect(openMariadbStart(control("0-1-3"), reset, checkpoint, "db1:3306", warnings().log)).rejects.toThrow(/RESET MASTER/);
  });
});
