// The session's start-up look at the source, on a fake connection answering as a MariaDB 10.11
// does: the facts it returns include how the server reads DDL names (lower_case_table_names),
// which the record emitter needs to name DDL as the server's rows events do.
import type mysql from "mysql2/promise";
import { describe, expect, it } from "vitest";
import { streamOpening } from "../../src/runtime/session/start-position.js";
import { inspectServer } from "../../src/runtime/source/server-checks.js";
import { facts, pipeline } from "../precheck/fixtures.js";
import { recordedServers, type RecordedServerName } from "./server-answers.js";

function server(variables: Record<string, string>): mysql.Connection {
  const query = async (sql: string, values?: unknown[]) => {
    if (sql.startsWith("SHOW GLOBAL VARIABLES")) {
      const names = (values?.[0] ?? []) as string[];
      return [names.filter((name) => name in variables).map((name) => ({ Variable_name: name, Value: variables[name] }))];
    }
    if (sql === "SHOW BINARY LOGS") return [[{ Log_name: "mariadb-bin.000001", File_size: 1024 }]];
    throw new Error(`unexpected query ${sql}`);
  };
  return { query } as unknown as mysql.Connection;
}

describe("inspectServer", () => {
  it("reads lower_case_table_names into the DDL dialect", async () => {
    const { variables } = facts();
    expect((await inspectServer(server({ ...variables, lower_case_table_names: "1" }), pipeline())).dialect).toEqual({ isMariaDb: true, versionId: 101106, lowercaseNames: true });
    expect((await inspectServer(server({ ...variables, lower_case_table_names: "0" }), pipeline())).dialect.lowercaseNames).toBe(false);
  });
});

// What a start by GTID checks is read with the settings, by flavour: MariaDB's binlog state,
// MySQL's executed set (recorded answers, test/runtime/server-answers.ts), and whether the
// server logs what it replicates.
describe("inspectServer: what a start by GTID checks", () => {
  const asConnection = (name: RecordedServerName) => {
    const recorded = recordedServers[name]();
    return { query: async (sql: string, values?: unknown[]) => [await recorded.query(sql, values)] } as unknown as mysql.Connection;
  };

  it.each(["MySQL 5.7.44", "MySQL 8.0.36", "MySQL 8.4.3", "MySQL 9.1.0"] as const)("%s: gtid_executed, and log_replica_updates or log_slave_updates", async (name) => {
    const found = await inspectServer(asConnection(name), pipeline());
    expect(found.binlogGtids).toBe("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23,\n14cb6624-7f93-11e0-b2c0-c80aa9429562:1-5");
    expect(found.logsReplicated).toBe(true);
    // A checkpoint read on another server of the topology resumes there by its GTID set once the set is held.
    const onOther = { version: 1 as const, pipeline: "p", position: { file: "binlog.000003", offset: 900, gtidSet: "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-20" }, eventTimeSeconds: 0, partitionCounts: {}, updatedAt: "2026-11-30T00:00:00Z", sourceServerId: 7 };
    expect(streamOpening(pipeline(), onOther, null, found).start).toEqual({ kind: "gtid", gtidSet: onOther.position.gtidSet, heldByServer: true });
    const ahead = { ...onOther, position: { ...onOther.position, gtidSet: "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-25" } };
    expect(() => streamOpening(pipeline(), ahead, null, found)).toThrow(/lacks GTID 3e11fa47-71ca-11e1-9e33-c80aa9429562:24-25/);
  });

  it("MariaDB 10.11: gtid_binlog_state (every server id's last GTID per domain) and log_slave_updates", async () => {
    const found = await inspectServer(asConnection("MariaDB 10.11.19"), pipeline());
    expect(found).toMatchObject({ isMariaDb: true, binlogGtids: "0-2-17,0-1-42", logsReplicated: true });
  });
});
