// Seeding zongji's GTID tracking for a stream opened by file and offset mid-file: MariaDB's
// domain-server-sequence position and MySQL's UUID:interval set are each parsed as their own
// kind, and a seed never overrides one zongji already has.
import { describe, expect, it } from "vitest";
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
