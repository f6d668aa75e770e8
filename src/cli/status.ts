// dts status: per pipeline its phase, delay, throughput and last checkpoint, from the running
// process's HTTP endpoint when it answers, else from the state folder.
import { statSync } from "node:fs";
import { observePipeline, pipelineGone, pipelinesInStateDir, pipelineStalled } from "../status/index.js";
import { choice, parseCommandArgs } from "./args.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { compileSpecFiles } from "./spec-files.js";
import { printable } from "../runtime/index.js";
import { renderStatusTable, statusJson } from "./status-table.js";
import { groupName } from "./group-options.js";
import { groupStatus } from "./group-status.js";

export const help = `Usage: dts status [options] [<spec files or directories...>]

Shows each pipeline's phase (starting, initial sync N%, streaming, retrying until T,
failed: why, stopped, finished), its delay behind the source in seconds ("unknown:"
and the reason while nothing tells it, e.g. not connected to the source), events per
second, the last checkpoint and the source server it reads (SERVER; with failover
servers in the spec, any of them). A running pipeline is asked over its HTTP endpoint
(SOURCE: http), a stopped one is read from the status file in its state folder
(<checkpoint directory>/<pipeline>/status.json).

With specs, their pipelines are shown (using each one's checkpoint directory); without,
every pipeline found in --state-dir.

With --group NAME and the group's specs, asks the Kafka cluster's group coordinator which
worker of the group (\`dts run --group\`) runs each pipeline, and each worker's endpoint
how it is doing (WORKER column; "not assigned" while no worker runs it). Exit code 1 also
when a pipeline is not assigned or its worker does not answer.

Options:
  --group <name>        show the pipelines of this group of workers (needs the specs)
  --pipeline <name>     show only this pipeline
  --state-dir <dir>     state folder to scan when no spec is given (default .dts-state)
  --format <text|json>  output style (default text)
  -h, --help            show this help

Exit codes: 0 no pipeline failed, 1 a pipeline failed, its process is gone without
having stopped (killed, crashed) or runs but has written no status for 30s (stopped,
hung), a status file is unreadable or the specs have errors, 2 usage error.`;

interface Target {
  pipeline: string;
  directory: string;
}

function targetsFromSpecs(paths: string[]): Target[] | number {
  const compiled = compileSpecFiles(paths);
  if (!compiled) return ExitCode.failure;
  const targets = compiled.plan.pipelines.map((p) => ({ pipeline: p.name, directory: p.checkpoint.directory }));
  return targets;
}

/** The pipelines found in a state folder given with --state-dir (or the default). */
function targetsFromStateDir(directory: string): Target[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return [];
    throw new UsageError(`cannot read the state folder ${directory} (${code ?? "unreadable"})`);
  }
  if (!isDirectory) throw new UsageError(`--state-dir ${directory} is not a directory; name the checkpoint directory of the specs (it holds one folder per pipeline)`);
  try {
    return pipelinesInStateDir(directory).map((pipeline) => ({ pipeline, directory }));
  } catch (error) {
    throw new UsageError(`cannot list the state folder ${directory} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { pipeline: { type: "string" }, format: { type: "string" }, "state-dir": { type: "string" }, group: { type: "string" } });
  const format = choice("format", values.format, ["text", "json"] as const, "text");
  if (values.group !== undefined) {
    if (positionals.length === 0) throw new UsageError("--group needs the group's spec files: the group meets on the Kafka cluster they name");
    if (values["state-dir"] !== undefined) throw new UsageError("--state-dir does not apply with --group: the workers are asked instead");
    return groupStatus(positionals, groupName(values.group), values.pipeline, format);
  }
  let targets: Target[];
  if (positionals.length > 0) {
    if (values["state-dir"] !== undefined) throw new UsageError("give either spec files or --state-dir, not both");
    const fromSpecs = targetsFromSpecs(positionals);
    if (typeof fromSpecs === "number") return fromSpecs;
    targets = fromSpecs;
  } else {
    const directory = values["state-dir"] ?? ".dts-state";
    targets = targetsFromStateDir(directory);
    if (targets.length === 0 && values.pipeline === undefined) {
      process.stderr.write(`dts status: no pipeline state in ${printable(directory)}; name the specs, or the state folder with --state-dir\n`);
      return ExitCode.failure;
    }
  }
  if (values.pipeline !== undefined) {
    const known = targets.map((t) => t.pipeline);
    targets = targets.filter((t) => t.pipeline === values.pipeline);
    if (targets.length === 0) throw new UsageError(`no pipeline named "${values.pipeline}"; known: ${known.join(", ") || "none"}`);
  }
  const observations = await Promise.all(targets.map((t) => observePipeline(t.directory, t.pipeline)));
  process.stdout.write(format === "json" ? statusJson(observations) : renderStatusTable(observations));
  return observations.some((o) => o.status?.phase === "failed" || o.from === "unreadable" || pipelineGone(o) || pipelineStalled(o)) ? ExitCode.failure : ExitCode.ok;
}

export const statusCommand: Command = {
  summary: "show each pipeline's phase, delay, throughput and checkpoint",
  help,
  run,
};
