// dts status: per pipeline its phase, delay, throughput and last checkpoint, from the running
// process's HTTP endpoint when it answers, else from the state folder.
import { statSync } from "node:fs";
import { describePhase, observePipeline, pipelinesInStateDir, type PipelineObservation } from "../status/index.js";
import { choice, parseCommandArgs } from "./args.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { compileSpecFiles } from "./spec-files.js";
import { printable, printableJson } from "./terminal-text.js";
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
how it is doing (WORKER column; "not assigned" while no worker runs it).

Options:
  --group <name>        show the pipelines of this group of workers (needs the specs)
  --pipeline <name>     show only this pipeline
  --state-dir <dir>     state folder to scan when no spec is given (default .dts-state)
  --format <text|json>  output style (default text)
  -h, --help            show this help

Exit codes: 0 no pipeline failed, 1 a pipeline failed, a status file is unreadable or the
specs have errors, 2 usage error.`;

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

function checkpointText(o: PipelineObservation): string {
  const c = o.status?.checkpoint;
  if (!c?.position) return "none";
  const where = c.position.file ? `${c.position.file}:${c.position.offset}` : (c.position.gtidSet ?? "");
  return c.eventTime ? `${where} (${c.eventTime})` : where;
}

/** A number from the status, or "-" when the process is not running or the file lacks it. */
function liveNumber(o: PipelineObservation, value: unknown, unit = ""): string {
  const live = o.from === "http" || o.alive;
  return live && typeof value === "number" && Number.isFinite(value) ? `${value}${unit}` : "-";
}

/** The delay in seconds, or why it is unknown; "-" when the process is not running. */
function delayText(o: PipelineObservation): string {
  const status = o.status;
  if (!(o.from === "http" || o.alive) || !status) return "-";
  if (status.delaySeconds === null) return `unknown: ${status.delayReason ?? "no reason recorded"}`;
  return liveNumber(o, status.delaySeconds, "s");
}

function sourceText(o: PipelineObservation): string {
  if (o.from === "http") return `http://${o.status?.http?.host}:${o.status?.http?.port}`;
  return o.from === "file" ? "status file" : "-";
}

/** A pipeline as seen through a group: which worker runs it, and "not assigned" when none. */
export type ObservationRow = PipelineObservation & { worker?: string | null };

function phaseText(o: ObservationRow): string {
  if (o.worker === undefined) return describePhase(o);
  if (o.worker === null) return "not assigned to any worker";
  return o.status ? describePhase(o) : `unknown: worker ${o.worker} does not answer`;
}

function row(o: ObservationRow): Record<string, string> {
  return {
    PIPELINE: o.pipeline,
    ...(o.worker !== undefined ? { WORKER: o.worker ?? "-" } : {}),
    PHASE: phaseText(o),
    DELAY: delayText(o),
    "EVENTS/S": liveNumber(o, o.status?.eventsPerSecond),
    CHECKPOINT: checkpointText(o),
    SERVER: o.status?.source ?? "-",
    SOURCE: sourceText(o),
  };
}

export function renderStatusTable(observations: readonly ObservationRow[]): string {
  const rows = observations.map((o) => Object.fromEntries(Object.entries(row(o)).map(([k, v]) => [k, printable(v)])));
  const grouped = observations.some((o) => o.worker !== undefined);
  const headers = ["PIPELINE", ...(grouped ? ["WORKER"] : []), "PHASE", "DELAY", "EVENTS/S", "CHECKPOINT", "SERVER", "SOURCE"];
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => (r[h] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join("  ").trimEnd();
  return [line(headers), ...rows.map((r) => line(headers.map((h) => r[h] ?? "")))].join("\n") + "\n";
}

export function statusJson(observations: readonly ObservationRow[], extra: Record<string, unknown> = {}): string {
  const items = observations.map((o) => ({
    pipeline: o.pipeline,
    ...(o.worker !== undefined ? { worker: o.worker } : {}),
    phase: o.status?.phase ?? null,
    description: phaseText(o),
    running: o.from === "http" || o.alive,
    from: o.from,
    stateDir: o.stateDir,
    problem: o.problem ?? null,
    delaySeconds: o.status?.delaySeconds ?? null,
    delayReason: o.status?.delayReason ?? null,
    eventsPerSecond: o.status?.eventsPerSecond ?? null,
    messagesTotal: o.status?.messagesTotal ?? null,
    checkpoint: o.status?.checkpoint ?? null,
    sourceServer: o.status?.source ?? null,
    retry: o.status?.retry ?? null,
    error: o.status?.error ?? null,
    snapshot: o.status?.snapshot ?? null,
    specChanges: o.status?.specChanges ?? [],
    updatedAt: o.status?.updatedAt ?? null,
  }));
  return `${printableJson({ ...extra, pipelines: items })}\n`;
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
  return observations.some((o) => o.status?.phase === "failed" || o.from === "unreadable") ? ExitCode.failure : ExitCode.ok;
}

export const statusCommand: Command = {
  summary: "show each pipeline's phase, delay, throughput and checkpoint",
  help,
  run,
};
