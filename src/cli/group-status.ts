// `dts status --group NAME <specs>`: the group's pipelines, the worker running each, and how it is doing.
import { createLogger, printable, resolveKafkaConnection } from "../runtime/index.js";
import { observeGroup } from "../status/index.js";
import { ExitCode, UsageError } from "./command.js";
import { compileSpecFiles } from "./spec-files.js";
import { renderStatusTable, statusJson, type ObservationRow } from "./status-table.js";

export async function groupStatus(paths: string[], group: string, pipeline: string | undefined, format: "text" | "json"): Promise<number> {
  const compiled = compileSpecFiles(paths);
  if (!compiled) return ExitCode.failure;
  const { plan, literalSecrets } = compiled;
  if (pipeline !== undefined && !plan.pipelines.some((p) => p.name === pipeline)) {
    throw new UsageError(`no pipeline named "${pipeline}"; known: ${plan.pipelines.map((p) => p.name).join(", ")}`);
  }
  const log = createLogger({ level: "silent" });
  let report;
  try {
    report = await observeGroup(plan, group, resolveKafkaConnection(plan, 0, literalSecrets), log);
  } catch (error) {
    process.stderr.write(`dts status: cannot describe the group ${printable(group)}: ${printable(error instanceof Error ? error.message : String(error))}\n  hint: check that the brokers of the specs' first pipeline answer\n`);
    return ExitCode.failure;
  }
  const rows = report.pipelines.filter((p) => pipeline === undefined || p.pipeline === pipeline);
  if (format === "json") process.stdout.write(statusJson(rows, { group, state: report.state, workers: report.workers }));
  else {
    const workers = report.workers.length > 0 ? report.workers.join(", ") : "none";
    process.stdout.write(`group ${printable(group)}: ${printable(report.state)}, workers: ${printable(workers)}\n${renderStatusTable(rows)}`);
  }
  return rows.some(unhealthyInGroup) ? ExitCode.failure : ExitCode.ok;
}

/** A group's pipeline that needs attention: run by no worker, failed, or its worker does not answer. */
export function unhealthyInGroup(row: ObservationRow): boolean {
  return row.worker === null || row.status?.phase === "failed" || (row.worker !== undefined && row.status === null);
}
