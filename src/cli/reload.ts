// dts reload: ask running pipelines to read their spec files again and apply what changed (as
// SIGHUP does), then report what each one did with it.
import { pipelineStateDir, printable, printableLines, type SpecChangeRecord } from "../runtime/index.js";
import { describePhase, observePipeline, pipelineRunning } from "../status/index.js";
import { parseCommandArgs } from "./args.js";
import { leaveControlRequest } from "./control-request.js";
import { ExitCode, type Command } from "./command.js";
import { compileSpecFiles, requirePipeline } from "./spec-files.js";

export const help = `Usage: dts reload [options] <spec files or directories...>

Asks each running pipeline of the specs to read its spec files again (the files its
\`dts run\` was given) and apply what changed, as SIGHUP does. The change is compiled and
judged first; a spec with errors, or a change that cannot be applied, is refused and the
pipeline runs on unchanged.

  - tables added (by name or newly matched by a pattern) get their own initial sync while
    the other tables keep streaming; tables removed stop at one binlog position;
  - topic, rename, column and filter changes take effect at one binlog position;
  - connection or checkpoint settings take effect in a new session from the checkpoint;
  - format, partition policy or partition count changes break consumers mid-stream and
    are refused unless --allow-breaking is given.

The outcome (what changed, at which position, or why not) is printed, logged by the
pipeline and kept in its status file (\`dts status --format json\`: specChanges).

Options:
  --pipeline <name>   reload only this pipeline
  --allow-breaking    apply changes that break consumers (by a new session)
  --timeout <time>    give up waiting for the outcome after this long (default 2m)
  -h, --help          show this help

Exit codes: 0 every pipeline applied the change (or nothing changed), 1 one refused it,
failed, was not running or did not answer in time, 2 usage error.`;

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 120_000;
  const m = /^(\d+)(s|m)?$/.exec(text.trim());
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] === "m" ? 60_000 : 1_000);
}

async function awaitOutcome(directory: string, pipeline: string, since: string, deadline: number): Promise<SpecChangeRecord | null> {
  while (Date.now() < deadline) {
    const status = (await observePipeline(directory, pipeline)).status;
    const record = status?.specChanges?.findLast((change) => change.requestedAt >= since);
    if (record) return record;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
}

/** `copiesAdded`: whether added tables get an initial sync (the spec's initial_sync copies something). */
function describeOutcome(name: string, record: SpecChangeRecord, copiesAdded: boolean): string {
  const lines = [`${name}: ${record.result}${record.how && record.result === "applied" ? ` (${record.how})` : ""}`];
  if (record.position) lines.push(`  at ${record.position.file}:${record.position.offset}`);
  for (const change of record.changes) lines.push(`  - ${change}`);
  if (record.added.length) lines.push(`  ${copiesAdded ? "initial sync of added tables" : "added tables, streamed from the switch on (initial_sync = false)"}: ${record.added.join(", ")}`);
  if (record.removed.length) lines.push(`  no longer streamed: ${record.removed.join(", ")}`);
  if (record.reason) lines.push(`  reason: ${record.reason}`);
  if (record.hint) lines.push(`  hint: ${record.hint}`);
  return `${lines.join("\n")}\n`;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { pipeline: { type: "string" }, "allow-breaking": { type: "boolean" }, timeout: { type: "string" } });
  const timeoutMs = parseTimeout(values.timeout);
  if (Number.isNaN(timeoutMs)) {
    process.stderr.write(`dts reload: --timeout takes a duration such as 30s or 2m; got "${printable(values.timeout ?? "")}"\n`);
    return ExitCode.usage;
  }
  const compiled = compileSpecFiles(positionals);
  if (!compiled) return ExitCode.failure;
  let code: number = ExitCode.ok;
  for (const index of requirePipeline(compiled.plan, values.pipeline)) {
    const pipeline = compiled.plan.pipelines[index] as (typeof compiled.plan.pipelines)[number];
    const directory = pipeline.checkpoint.directory;
    const observation = await observePipeline(directory, pipeline.name);
    if (!pipelineRunning(observation, directory, pipeline.name)) {
      const phase = describePhase(observation);
      const state = phase.startsWith("not running") ? phase : `not running (${phase})`;
      process.stderr.write(`${printable(`${pipeline.name}: ${state}; start it with dts run, which reads the specs as they are`)}\n`);
      code = ExitCode.failure;
      continue;
    }
    const request = leaveControlRequest(pipeline.name, pipelineStateDir(directory, pipeline.name), "reload", { allowBreaking: values["allow-breaking"] === true });
    if (!request) {
      code = ExitCode.failure;
      continue;
    }
    const record = await awaitOutcome(directory, pipeline.name, request.requestedAt, Date.now() + timeoutMs);
    if (!record) {
      process.stderr.write(`${printable(`${pipeline.name}: no answer within the timeout; see its log and dts status`)}\n`);
      code = ExitCode.failure;
      continue;
    }
    process.stdout.write(printableLines(describeOutcome(pipeline.name, record, pipeline.initialSync.data || pipeline.initialSync.schema)));
    if (record.result !== "applied" && record.result !== "unchanged") code = ExitCode.failure;
  }
  return code;
}

export const reloadCommand: Command = {
  summary: "apply changed spec files to running pipelines",
  help,
  run,
};
