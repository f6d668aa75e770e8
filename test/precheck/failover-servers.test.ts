// Failover servers' settings on recorded answers: MariaDB 10.11 and MySQL 8.0 replicas (the
// variables they show, and whether they replicate), since MySQL cannot run here.
import type mysql from "mysql2/promise";
import { describe, expect, it } from "vitest";
import { failoverProblems } from "../../src/precheck/failover-servers.js";
import { facts, mysql8, pipeline } from "./fixtures.js";

/** A connection answering SHOW GLOBAL VARIABLES from `variables` and the replication-thread query with `running` (or failing when null). */
function server(variables: Record<string, string>, running: number | null): mysql.Connection {
  const query = async (sql: string, values?: unknown[]) => {
    if (sql.startsWith("SHOW GLOBAL VARIABLES")) {
      const names = (values?.[0] as string[]) ?? [];
      return [names.filter((n) => n in variables).map((n) => ({ Variable_name: n, Value: variables[n] }))];
    }
    if (running === null) throw Object.assign(new Error("SELECT command denied to user 'dts'@'%' for table 'replication_connection_status'"), { errno: 1142 });
    return [[{ n: sql.includes("GLOBAL_STATUS") ? String(running) : running }]];
  };
  return { query } as unknown as mysql.Connection;
}

const mariadb = (extra: Record<string, string> = {}) => facts({}, extra).variables;
const mysql80 = (extra: Record<string, string> = {}) => mysql8(extra).variables;

describe("failover servers' settings", () => {
  it("names nothing for replicas set up to take over", async () => {
    const problems = await failoverProblems([
      { address: "replica-1:3306", conn: server(mariadb({ log_slave_updates: "ON" }), 1) },
      { address: "replica-2:3306", conn: server(mysql80({ log_replica_updates: "ON", log_slave_updates: "ON" }), 1) },
    ], pipeline());
    expect(problems).toEqual([]);
  });

  it("names a replica that does not log what it replicates, by the variable its server knows", async () => {
    const problems = await failoverProblems([
      { address: "replica-1:3306", conn: server(mariadb({ log_slave_updates: "OFF" }), 1) },
      { address: "replica-2:3306", conn: server(mysql80({ log_replica_updates: "OFF", log_slave_updates: "OFF" }), 1) },
    ], pipeline());
    expect(problems).toEqual([
      expect.objectContaining({ address: "replica-1:3306", reason: expect.stringMatching(/^log_slave_updates is OFF on this replica/), fix: "set log_slave_updates = ON in its my.cnf and restart it" }),
      expect.objectContaining({ address: "replica-2:3306", reason: expect.stringMatching(/^log_replica_updates is OFF on this replica/) }),
    ]);
  });

  it("leaves a server that does not replicate, or cannot be asked, to its own binlog", async () => {
    const problems = await failoverProblems([
      { address: "old-primary:3306", conn: server(mariadb({ log_slave_updates: "OFF" }), 0) },
      { address: "mysql:3306", conn: server(mysql80({ log_replica_updates: "OFF" }), null) },
    ], pipeline());
    expect(problems).toEqual([]);
  });

  it("names the binlog settings a run could not start on, and GTIDs off, but not the primary's other warnings", async () => {
    const problems = await failoverProblems([
      { address: "replica-1:3306", conn: server(mariadb({ log_slave_updates: "ON", binlog_format: "MIXED", binlog_row_metadata: "MINIMAL" }), 1) },
      { address: "replica-2:3306", conn: server(mysql80({ log_replica_updates: "ON", gtid_mode: "OFF" }), 1) },
    ], pipeline());
    expect(problems.map((p) => [p.address, p.reason.split(";")[0]])).toEqual([
      ["replica-1:3306", "binlog_format is MIXED"],
      ["replica-2:3306", "gtid_mode is OFF"],
    ]);
  });

  it("says when a server's settings cannot be read", async () => {
    const denied = { query: async () => Promise.reject(new Error("Access denied; you need (at least one of) the BINLOG MONITOR privilege(s)")) } as unknown as mysql.Connection;
    const problems = await failoverProblems([{ address: "replica-1:3306", conn: denied }], pipeline());
    expect(problems).toEqual([{ address: "replica-1:3306", reason: "its settings cannot be read: Access denied; you need (at least one of) the BINLOG MONITOR privilege(s)", fix: expect.stringContaining("same privileges") }]);
  });
});
