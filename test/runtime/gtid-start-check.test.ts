// Before a stream opens by GTID, the server's binlog must hold the start position: a replica
// behind is waited for (retriable), one that went past it on another history or does not log
// what it replicates is refused with the way out. MariaDB compares per domain and server id, as
// the server does when a replica connects; MySQL interval by interval.
import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/runtime/errors.js";
import { checkGtidStart, type GtidStartServer } from "../../src/runtime/source/gtid-start-check.js";
import { mariadbGtidsMissing, mysqlGtidsMissing } from "../../src/runtime/source/gtid-sets.js";

const replica = (binlogGtids: string | null, extra: Partial<GtidStartServer> = {}): GtidStartServer => ({ isMariaDb: true, serverId: 12, address: "127.0.0.1:3402", binlogGtids, logsReplicated: true, ...extra });

function refusal(run: () => unknown): RuntimeError {
  try {
    run();
  } catch (error) {
    if (error instanceof RuntimeError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("MariaDB: which GTIDs of a position the binlog state lacks", () => {
  it("holds D-S-N when the state has D-S-M with M >= N for that server id", () => {
    expect(mariadbGtidsMissing("0-11-1687", "0-11-1687")).toEqual([]);
    expect(mariadbGtidsMissing("0-11-1687", "0-11-1700,0-12-1703")).toEqual([]);
    expect(mariadbGtidsMissing("0-11-1687,1-5-3", "1-5-9,0-11-1690")).toEqual([]);
  });

  it("a domain not logged yet, or logged short of N, is behind", () => {
    expect(mariadbGtidsMissing("0-11-1687", "")).toEqual([{ gtid: "0-11-1687", passed: false }]);
    expect(mariadbGtidsMissing("0-11-1687", "0-11-1500")).toEqual([{ gtid: "0-11-1687", passed: false }]);
    expect(mariadbGtidsMissing("0-11-1687,1-5-3", "0-11-1687")).toEqual([{ gtid: "1-5-3", passed: false }]);
  });

  it("a domain logged beyond N by other server ids, without D-S-N, went past it", () => {
    // The checkpoint read 0-11-1687 on the old primary; this server continued the domain from 0-11-1600.
    expect(mariadbGtidsMissing("0-11-1687", "0-11-1600,0-12-1700")).toEqual([{ gtid: "0-11-1687", passed: true }]);
    expect(mariadbGtidsMissing("0-11-1687", "0-12-1687")).toEqual([{ gtid: "0-11-1687", passed: true }]);
  });
});

describe("MySQL: which transactions of a GTID set gtid_executed lacks", () => {
  const a = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  const b = "14cb6624-7f93-11e0-b2c0-c80aa9429562";
  it("compares interval by interval, per source uuid and tag", () => {
    expect(mysqlGtidsMissing(`${a}:1-23`, `${a}:1-30,\n${b}:1-5`)).toEqual([]);
    expect(mysqlGtidsMissing(`${a}:1-23,${b}:1-7`, `${a}:1-20:22,${b}:1-5`)).toEqual([{ gtid: `${a}:21:23`, passed: false }, { gtid: `${b}:6-7`, passed: false }]);
    expect(mysqlGtidsMissing(`${a}:1-5:tag_a:1-3`, `${a}:1-5:tag_a:1-2`)).toEqual([{ gtid: `${a}:tag_a:3`, passed: false }]);
    expect(mysqlGtidsMissing(`${a.toUpperCase()}:1-5`, `${a}:1-5`)).toEqual([]);
  });
});

describe("checkGtidStart", () => {
  it("passes a server whose binlog holds the position, and says it could tell", () => {
    expect(checkGtidStart("0-11-1687", replica("0-11-1687"), 11)).toBe(true);
    expect(checkGtidStart("0-11-1687", replica(null), 11)).toBe(false);
  });

  it("waits (retriable DTS5006) for a replica whose binlog has not logged the domain yet, naming it and the GTIDs", () => {
    const error = refusal(() => checkGtidStart("0-11-1687", replica(""), 11));
    expect(error.retriable).toBe(true);
    expect(error.problemCode).toBe("DTS5006");
    expect(error.message).toMatch(/127\.0\.0\.1:3402 \(server_id 12\) has not yet logged .*lacks GTID 0-11-1687/);
    expect(error.message).toMatch(/read on the server with server_id 11/);
    expect(error.hint).toMatch(/wait until this replica/);
  });

  it("refuses for good a server whose domain went past the position on another history", () => {
    const error = refusal(() => checkGtidStart("0-11-1687", replica("0-12-1800"), 11));
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/went past GTID 0-11-1687.*another history/);
  });

  it("refuses a server that does not log what it replicates (log_slave_updates OFF) and lacks the position", () => {
    const error = refusal(() => checkGtidStart("0-11-1687", replica("", { logsReplicated: false }), 11));
    expect(error.retriable).toBe(false);
    expect(error.problemCode).toBe("DTS5005");
    expect(error.message).toMatch(/log_slave_updates = OFF/);
    expect(error.hint).toMatch(/log_slave_updates = ON/);
    // A MariaDB primary (log_slave_updates OFF by default) whose own binlog holds it is fine.
    expect(checkGtidStart("0-11-1687", replica("0-11-1690", { logsReplicated: false }), 12)).toBe(true);
  });

  it("MySQL: on another server, log_replica_updates OFF is refused even when gtid_executed holds the set", () => {
    const set = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23";
    const mysql = replica(`${set.replace("1-23", "1-40")}`, { isMariaDb: false, logsReplicated: false });
    expect(refusal(() => checkGtidStart(set, mysql, 11)).message).toMatch(/does not log the transactions it replicates/);
    // Its own binlog (the checkpoint read here) holds what it executed.
    expect(checkGtidStart(set, mysql, null)).toBe(true);
  });
});
