// The session's start-up look at the source, on a fake connection answering as a MariaDB 10.11
// does: the facts it returns include how the server reads DDL names (lower_case_table_names),
// which the record emitter needs to name DDL as the server's rows events do.
import type mysql from "mysql2/promise";
import { describe, expect, it } from "vitest";
import { inspectServer } from "../../src/runtime/source/server-checks.js";
import { facts, pipeline } from "../precheck/fixtures.js";

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
