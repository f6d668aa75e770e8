// dts precheck: compile the specs and run every check `dts run` runs before it starts,
// printing pass / warn / fail with the reason and the fix for each.
import { renderJson, renderText, runPrechecks, unknownCheckIds } from "../precheck/index.js";
import { printableJsonText, printableLines } from "../runtime/index.js";
import { choice, parseCommandArgs } from "./args.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { compileSpecFiles, requirePipeline } from "./spec-files.js";

export const help = `Usage: dts precheck [options] <spec files or directories...>

Connects to each pipeline's MySQL/MariaDB source and Kafka brokers and checks what the
pipeline needs before it starts: connectivity and authentication, server version, binlog
settings (log_bin, binlog_format=ROW, binlog_row_image=FULL, binlog_row_metadata), server
ids, GTID, privileges, the selected tables (exist, have a key, supported engine), binlog
retention against the retry window, time zone, topics and partition counts.

Each check reports pass, warn or fail with its code (\`dts explain CODE\`), the reason
and the fix; checks that cannot run because one they depend on failed are shown once per
reason as SKIP. Nothing is changed on the servers. \`dts run\` runs the same checks first
and refuses to start on a failure.

Options:
  --pipeline <name>    check only this pipeline (default: every pipeline of the specs)
  --format <text|json> output style (default text)
  --skip <id,id>       leave out these checks (ids as shown in the output)
  -h, --help           show this help

Exit codes: 0 nothing failed (warnings allowed), 1 a check failed or the specs have
errors, 2 usage error.`;

export function parseSkipList(value: string | undefined): string[] {
  if (value === undefined) return [];
  const ids = value.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = unknownCheckIds(ids);
  if (unknown.length > 0) throw new UsageError(`unknown precheck id${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; run "dts precheck" to see the ids`);
  return ids;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { pipeline: { type: "string" }, format: { type: "string" }, skip: { type: "string" } });
  const format = choice("format", values.format, ["text", "json"] as const, "text");
  const skip = parseSkipList(values.skip);
  const compiled = compileSpecFiles(positionals);
  if (!compiled) return ExitCode.failure;
  const plan = compiled.plan;
  requirePipeline(plan, values.pipeline);
  const report = await runPrechecks(plan, values.pipeline ?? null, compiled.literalSecrets, { skip });
  // Table and topic names come from the server and the spec: shown escaped, never obeyed.
  if (format === "json") process.stdout.write(printableJsonText(renderJson(report)));
  else {
    const tty = Boolean(process.stdout.isTTY);
    process.stdout.write(printableLines(renderText(report, { color: tty && !process.env.NO_COLOR, width: tty ? process.stdout.columns ?? 100 : null })));
  }
  return report.ok ? ExitCode.ok : ExitCode.failure;
}

export const precheckCommand: Command = {
  summary: "check sources, brokers and topics before a pipeline starts",
  help,
  run,
};
