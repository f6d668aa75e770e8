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
  const noDatabase = facts.databases.ok && !facts.databases.value.includes(table.database);
  if (missing.length === 0 && !noDatabase) return null;
  const name = `${table.database}.${table.table}`;
  const problems = missing.length ? [`${account} lacks ${missing.join(", ")} on the heartbeat table ${name}${exists ? "" : " (it does not exist yet, so the pipeline creates it)"}`] : [];
  const fixes = missing.length ? [`GRANT ${missing.join(", ")} ON ${heartbeatTableName(table)} TO ${grantTo};`] : [];
  if (noDatabase) {
    problems.push(`the heartbeat table's database ${table.database} does not exist (or the account cannot see it)`);
    fixes.unshift(`CREATE DATABASE IF NOT EXISTS \`${table.database.replace(/`/g, "``")}\`;`);
  }
  return { problem: problems.join("; "), fix: fixes.join(" ") };
}
