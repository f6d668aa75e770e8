// A reloaded spec's column names against the source's tables, before the change is applied: a
// rule naming a column a selected table lacks (in a filter, a column list, a rename) would stop
// the pipeline at that table's next row, so the reload is refused instead, with the precheck's
// own words, and the pipeline runs on unchanged. When the source cannot be asked, the change
// goes ahead: the runtime then reports the same problem at the table.
import type { Pipeline } from "../generated/plan.js";
import { connectSource } from "../precheck/source-connection.js";
import { gatherSourceFacts } from "../precheck/source-facts.js";
import { checkTableColumns, readRuleColumns } from "../precheck/table-columns.js";
import type { PipelineConnections, ReloadVerdict } from "../runtime/index.js";

/** The refusal when the new spec names columns the source's tables lack; null when it does not (or the source cannot be asked). */
export async function columnsRefusal(next: Pipeline, connections: PipelineConnections): Promise<Extract<ReloadVerdict, { ok: false }> | null> {
  const { conn } = await connectSource(next, connections.source);
  if (!conn) return null;
  try {
    const facts = await gatherSourceFacts(conn);
    const result = checkTableColumns(facts, next, await readRuleColumns(conn, next, facts));
    return result.status === "fail" ? { ok: false, reason: result.reason, hint: `${result.fix ?? "fix the spec"}; the pipeline runs on unchanged` } : null;
  } catch {
    return null;
  } finally {
    await conn.end().catch(() => undefined);
  }
}
