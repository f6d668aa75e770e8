// The privileges the optional heartbeat table needs (heartbeatTablePrivileges, the runtime's
// own rule): INSERT and UPDATE for the upsert, and CREATE while the table does not exist yet.
import type { Pipeline } from "../generated/plan.js";
import { heartbeatOf } from "../runtime/source/binlog-heartbeat.js";
import { heartbeatTableName, heartbeatTablePrivileges } from "../runtime/source/heartbeat-table.js";
import type { SourceFacts } from "./source-facts.js";

/** What the account lacks for the heartbeat table and the GRANT that fixes it; null when nothing (or no table is set). */
export function heartbeatTableGap(granted: (privilege: string, database: string, table: string) => boolean, facts: SourceFacts, pipeline: Pipeline, account: string, grantTo: string): { problem: string; fix: string } | null {
  const table = heartbeatOf(pipeline).table;
  if (!table) return null;
  // Unreadable table facts: assume it is missing, so CREATE is asked for rather than found lacking at run time.
  const exists = facts.tables.ok && facts.tables.value.some((t) => t.database === table.database && t.table === table.table);
  const missing = heartbeatTablePrivileges(exists).filter((p) => !granted(p, table.database, table.table));
  if (missing.length === 0) return null;
  const name = `${table.database}.${table.table}`;
  return {
    problem: `${account} lacks ${missing.join(", ")} on the heartbeat table ${name}${exists ? "" : " (it does not exist yet, so the pipeline creates it)"}`,
    fix: `GRANT ${missing.join(", ")} ON ${heartbeatTableName(table)} TO ${grantTo};`,
  };
}
