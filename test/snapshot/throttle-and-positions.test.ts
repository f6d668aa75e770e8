import { describe, expect, it } from "vitest";
import { comparePoints, masterPosition, onlyHeadersBetween, startPosition } from "../../src/runtime/snapshot/binlog-position.js";
import { recordedServers } from "../runtime/server-answers.js";
import { renderLine } from "../../src/runtime/snapshot/progress-reporter.js";
import { Throttle } from "../../src/runtime/snapshot/throttle.js";

describe("Throttle", () => {
  it("lets a second's worth through, then makes readers wait in proportion to the debt", () => {
    let now = 0;
    const throttle = new Throttle({ rowsPerSecond: 100, bytesPerSecond: null }, () => now);
    expect(throttle.charge(100, 0)).toBe(0);
    expect(throttle.charge(50, 0)).toBe(500);
    now += 500;
    expect(throttle.charge(0, 0)).toBe(0);
  });

  it("applies the stricter of the two limits", () => {
    const throttle = new Throttle({ rowsPerSecond: 1000, bytesPerSecond: 1000 }, () => 0);
    expect(throttle.charge(10, 3000)).toBe(2000);
  });

  it("never waits without limits", () => {
    expect(new Throttle({ rowsPerSecond: null, bytesPerSecond: null }).charge(1e9, 1e12)).toBe(0);
  });
});

describe("binlog points", () => {
  it("order by file then offset", () => {
    expect(comparePoints({ file: "b.000002", offset: 4 }, { file: "b.000001", offset: 9000 })).toBe(1);
    expect(comparePoints({ file: "b.000001", offset: 400 }, { file: "b.000001", offset: 4000 })).toBe(-1);
    expect(comparePoints({ file: "b.000001", offset: 400 }, { file: "b.000001", offset: 400 })).toBe(0);
  });
});

describe("whether only header events lie before a high watermark", () => {
  const from = { file: "b.000003", offset: 4 };
  const to = { file: "b.000003", offset: 400 };

  it("reads the events between, and stops at the first with data", async () => {
    const events = (types: string[]) => async () => types.map((Event_type, i) => ({ Event_type, Pos: 4 + i * 100 }));
    expect(await onlyHeadersBetween(events(["Format_desc", "Gtid_list", "Binlog_checkpoint", "Rotate", "Gtid"]), from, to)).toBe(true);
    expect(await onlyHeadersBetween(events(["Format_desc", "Gtid", "Query"]), from, to)).toBe(false);
  });

  it("answers no, rather than failing the session, when the server cannot list them", async () => {
    const failing = async () => Promise.reject(Object.assign(new Error("Error when executing command SHOW BINLOG EVENTS: Wrong offset or I/O error"), { errno: 1220 }));
    expect(await onlyHeadersBetween(failing, from, to)).toBe(false);
  });
});

describe("the server's write position", () => {
  // Recorded answers (test/runtime/server-answers.ts): MySQL 8.4 has only SHOW BINARY LOG STATUS,
  // MariaDB only SHOW MASTER STATUS; the statement is chosen by the server's version.
  it("reads it with the statement each server has, and MySQL's executed GTID set with it", async () => {
    const executedGtids = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23";
    expect(await masterPosition(recordedServers["MySQL 8.4.3"]().query)).toEqual({ file: "binlog.000007", offset: 1557, executedGtids });
    expect(await masterPosition(recordedServers["MariaDB 10.11.19"]().query)).toEqual({ file: "mariadb-bin.000002", offset: 1779 });
  });

  it("says binary logging is off when the server reports no position", async () => {
    await expect(masterPosition(async () => [])).rejects.toThrow(/binary logging is off/);
  });
});

describe("where a stream opens", () => {
  it("takes MySQL's executed set from the status, in one statement", async () => {
    const server = recordedServers["MySQL 8.4.3"]();
    expect(await startPosition(server.query)).toEqual({ file: "binlog.000007", offset: 1557, executedGtids: "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23" });
    expect(server.sent.filter((sql) => sql.includes("gtid"))).toEqual([]);
  });

  it("takes MariaDB's GTID position from before and after the status when nothing was logged between", async () => {
    const server = recordedServers["MariaDB 10.11.19"]();
    expect(await startPosition(server.query)).toEqual({ file: "mariadb-bin.000002", offset: 1779, executedGtids: "0-1-42" });
    expect(server.sent.slice(1)).toEqual(["SELECT @@global.gtid_binlog_pos AS pos", "SHOW MASTER STATUS", "SELECT @@global.gtid_binlog_pos AS pos"]);
  });

  it("leaves MariaDB's GTIDs to BINLOG_GTID_POS when every try saw a transaction logged meanwhile", async () => {
    const server = recordedServers["MariaDB 10.11.19"]();
    let logged = 42;
    const busy = (sql: string) => (sql.includes("gtid_binlog_pos") ? Promise.resolve([{ pos: `0-1-${logged++}` }]) : server.query(sql));
    expect(await startPosition(busy)).toEqual({ file: "mariadb-bin.000002", offset: 1779 });
    expect(logged).toBe(42 + 2 * 10);
  });

  it("has no GTIDs to give on a MariaDB that logged none yet", async () => {
    const server = recordedServers["MariaDB 10.11.19"]();
    const fresh = (sql: string) => (sql.includes("gtid_binlog_pos") ? Promise.resolve([{ pos: "" }]) : server.query(sql));
    expect(await startPosition(fresh)).toEqual({ file: "mariadb-bin.000002", offset: 1779 });
  });
});

describe("progress line", () => {
  it("shows rows of the estimate, the rate and the ETA", () => {
    expect(renderLine("shop.orders", 250, 1000, false, { rate: 50, etaSeconds: 15 })).toBe("shop.orders ██████░░░░░░░░░░░░░░░░░░  25% 250/~1000 rows 50 rows/s ETA 15s");
    expect(renderLine("t", 7, 0, true, { rate: 7, etaSeconds: 0 })).toContain("100% 7/7 rows 7 rows/s done");
  });
});
