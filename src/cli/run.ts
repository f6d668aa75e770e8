// dts run: compile a spec (or read a compiled plan) and stream its pipeline(s) until stopped.
import { validatePlan, type ExecutionPlan } from "../compiler/index.js";
import { createLogger, groupPlan, type LockOwner, lockStateFolders, type Logger, printableLines, type ReloadSpec, resolveLogLevel, resolveRunConnections, run as runPipelines, runGroupWorker, RuntimeError } from "../runtime/index.js";
import { onlyUnreachable, precheckRefusal, renderText, runPrechecks, startCheck, type PrecheckReport, type StartCheck } from "../precheck/index.js";
import { renderProblem } from "../problems/index.js";
import { parseCommandArgs } from "./args.js";
import { parseSkipList } from "./precheck.js";
import { ExitCode, InputError, UsageError, type Command } from "./command.js";
import { inputLimits, readInputFile } from "./input-file.js";
import { specReloader } from "../reload/index.js";
import { refuseBreakingRestart } from "./breaking-restart.js";
import { compileSpecFiles, recompileSpecFiles, requirePipeline } from "./spec-files.js";
import { holdStartSignals, type StartSignals } from "./start-signals.js";
import { groupSettings, requireCheckpointTopics, type GroupSettings } from "./group-options.js";

export const help = `Usage: dts run [options] <spec files or directories...>
       dts run --plan plan.json [--pipeline NAME]
       dts run --group NAME [--worker-id ID] [--session-timeout 10s] <spec files...>

Compiles the specs and streams the pipeline's binlog changes into Kafka until it is
stopped with Ctrl-C (SIGINT) or SIGTERM, which flushes, writes a checkpoint and exits 0.
SIGHUP (or \`dts reload\`) reads the spec files again and applies what changed to the
running pipelines; see \`dts reload --help\`.
A restart resumes from the checkpoint in the pipeline's state folder. Without
--pipeline every pipeline of the specs runs.

Status is written to <checkpoint directory>/<pipeline>/status.json about once a second.
One run at a time may use a pipeline's state folder: it holds <state folder>/run.lock
while it runs, and a second \`dts run\` refuses to start, naming the process that holds it.
A lock left by a process that is gone is taken over.

The precheck runs first: a failed setting (privilege, binlog format, missing topic) refuses
the start. A source or Kafka cluster that cannot be reached is waited for, with status
\`retrying until T\`, for the pipeline's retry_window, then the run fails.

With --group the process is one worker of a group: workers started with the same group name
and the same specs share out the pipelines through the Kafka cluster's group coordinator
(balanced; a pipeline stays where it runs while it can). When a worker stops or dies, its
pipelines move to the others within the session timeout and resume from the checkpoint in
Kafka, so every pipeline needs a checkpoint topic. In a group every pipeline writes in Kafka
transactions: a worker that was paused and comes back cannot write for a pipeline that moved.
\`dts status --group NAME <specs>\` shows which worker runs what (docs/runtime.md, "Groups").

Options:
  --pipeline <name>  run only this pipeline
  --plan <file>      run a plan made by \`dts plan\` instead of compiling specs; secrets
                     written as literals in the spec are not in a plan: use env() or file()
  --log-level <lvl>  trace, debug, info (default), warn, error, fatal, silent (also
                     DTS_LOG_LEVEL)
  --skip-precheck <ids>  leave these precheck items out (comma-separated ids, as
                     \`dts precheck\` prints them); by default a failing item stops the start
  --metrics-port <n> serve /metrics (Prometheus), /healthz, /readyz and /status on this
                     port (0 picks a free one; \`dts status\` finds it in the status file)
  --metrics-host <h> address to bind them to (default 127.0.0.1)
  --group <name>     run as a worker of this group (see above)
  --worker-id <id>   this worker's name in the group (default: host name and process id);
                     its state folders are <checkpoint directory>/group-<group>/<id>/
  --session-timeout <d>  how long the group waits for a silent worker before its pipelines
                     move (default 10s)
  --allow-breaking   apply a spec change that breaks consumers mid-stream (message format,
                     partition policy, DDL topic, schema registry) from the checkpoint on;
                     without it such a change since the last run refuses the start
  --verbose          show the causes of errors
  -h, --help         show this help

Exit codes: 0 stopped cleanly or finished, 1 the pipeline failed (the reason is printed and kept in
the status file), 2 usage error.`;

function loadPlan(path: string): ExecutionPlan {
  const text = readInputFile(path, "plan", inputLimits.plan);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`plan ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}; make it with \`dts plan <spec files> > ${path}\``);
  }
  const result = validatePlan(json);
  if (!result.ok) {
    const lines = result.errors.map((e) => `  ${e.pointer || "/"}: ${e.message}`).join("\n");
    throw new InputError(`${path} is not a valid plan:\n${lines}`);
  }
  if (result.plan.pipelines.length === 0) throw new InputError(`plan ${path} holds no pipelines; make it with \`dts plan <spec files> > ${path}\``);
  return result.plan;
}

export interface Prepared {
  plan: ExecutionPlan;
  literalSecrets: Record<string, string>;
  /** How the refusal message tells the user to stop a run that holds the state folder. */
  stopCommand: (owner: LockOwner) => string;
}

/** The plan to run, from --plan or the specs; null when the specs do not compile. */
export function preparePlan(planPath: string | undefined, positionals: string[], pipeline: string | undefined, group: GroupSettings | null): Prepared | null {
  if (planPath !== undefined) {
    if (positionals.length > 0) throw new UsageError("give either --plan or spec files, not both");
    const plan = loadPlan(planPath);
    requirePipeline(plan, pipeline, `plan ${planPath}`);
    if (group) requireCheckpointTopics(plan, `plan ${planPath}`);
    return { plan, literalSecrets: {}, stopCommand: (owner) => `kill -TERM ${owner.pid}` };
  }
  const compiled = compileSpecFiles(positionals, { group: group !== null });
  if (!compiled) return null;
  requirePipeline(compiled.plan, pipeline);
  // dts stop addresses lone runs; a worker with the same --worker-id is stopped as a process.
  if (group) return { ...compiled, stopCommand: (owner) => `kill -TERM ${owner.pid}` };
  return { ...compiled, stopCommand: (owner) => ["dts", "stop", "--pipeline", owner.pipeline, ...positionals].map(shellWord).join(" ") };
}

/** A word as a shell reads it back unchanged, for commands the user may paste. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

export async function run(args: string[]): Promise<number> {
  // Before anything else: a signal in the middle of the start must not take the default action.
  const signals = holdStartSignals();
  try {
    return await startAndRun(args, signals);
  } finally {
    signals.release();
  }
}

async function startAndRun(args: string[], signals: StartSignals): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    pipeline: { type: "string" },
    plan: { type: "string" },
    "log-level": { type: "string" },
    verbose: { type: "boolean" },
    "skip-precheck": { type: "string" },
    "metrics-port": { type: "string" },
    "metrics-host": { type: "string" },
    group: { type: "string" },
    "worker-id": { type: "string" },
    "session-timeout": { type: "string" },
    "allow-breaking": { type: "boolean" },
  });
  // Everything the command line can get wrong is refused before anything connects.
  const level = logLevel(values["log-level"]);
  const http = metricsEndpoint(values["metrics-port"], values["metrics-host"]);
  const skip = parseSkipList(values["skip-precheck"]);
  const group = groupSettings(values);
  const prepared = preparePlan(values.plan, positionals, values.pipeline, group);
  if (!prepared) return ExitCode.failure;
  signals.specsRead(group !== null);
  const { plan, literalSecrets } = prepared;
  const pipelineName = values.pipeline ?? null;
  const verbose = values.verbose ?? false;
  const log = createLogger({ level });
  // A group worker keeps state folders of its own (group-plan.ts); those are what it locks.
  const selected = (group ? groupPlan(plan, group.identity) : plan).pipelines.filter((p) => pipelineName === null || p.name === pipelineName);
  let locks: { release(): void } | null = null;
  try {
    // Locked before the precheck, so a second run refuses before it connects anywhere.
    locks = await lockStateFolders(selected, { log, command: ["dts", "run", ...args].join(" "), stopCommand: prepared.stopCommand });
    // A group's pipelines move between workers, so a worker's folder may hold an older run's spec.
    if (!group) refuseBreakingRestart(selected, values["allow-breaking"] === true);
    // Secrets are read before anything connects; the run takes these and does not read them again.
    const connections = resolveRunConnections(plan, pipelineName, literalSecrets);
    const gate = await precheckGate(plan, pipelineName, literalSecrets, skip, connections, log);
    if (!gate) return ExitCode.failure;
    // From here the runtime answers the signals: a lone run reloads on SIGHUP, a group worker refuses to.
    signals.handOver();
    // SIGHUP and `dts reload` read the same spec files again; a run from --plan cannot.
    const reload: { reload?: ReloadSpec } = values.plan === undefined ? { reload: specReloader(() => recompileSpecFiles(positionals)) } : {};
    const result = group
      ? await runGroupWorker(plan, { ...group, connections, log, http: http ?? { host: "127.0.0.1", port: 0 }, ...gate })
      : await runPipelines(plan, pipelineName, { connections, log, stateFoldersLocked: true, ...gate, ...reload, ...(http ? { http } : {}) });
    if (result.phase !== "failed") return ExitCode.ok;
    if (result.error) report(result.error, verbose);
    return ExitCode.failure;
  } catch (error) {
    if (!(error instanceof RuntimeError)) throw error;
    report(error, verbose);
    return ExitCode.failure;
  } finally {
    locks?.release();
    log.flush();
  }
}

/**
 * Like DTS, refuse to start while a precheck item fails (null, the refusal printed); named items
 * can be skipped. A server that cannot be reached yet is waited for inside the retry window
 * instead: the pipelines then pass the check again before their first session.
 */
async function precheckGate(plan: ExecutionPlan, pipelineName: string | null, literalSecrets: Record<string, string>, skip: string[], connections: ReturnType<typeof resolveRunConnections>, log: Logger): Promise<{ startCheck?: StartCheck } | null> {
  const precheck = await runPrechecks(plan, pipelineName, literalSecrets, { skip, connections });
  // Warnings do not stop the start, but the operator of a run should see them as `dts precheck` shows them.
  for (const p of precheck.pipelines) for (const r of p.results) if (r.status === "warn") log.warn({ pipeline: p.pipeline, check: r.id, code: r.code, hint: r.fix }, `precheck: ${r.reason}`);
  if (!precheck.pipelines.every((p) => p.ok || onlyUnreachable(p))) {
    printRefusal(precheck);
    process.stderr.write(`dts run: ${precheckRefusal.summary}.\n  hint: ${precheckRefusal.hint}\n`);
    return null;
  }
  const recheck = (name: string) => runPrechecks(plan, name, literalSecrets, { skip, connections });
  return precheck.ok ? {} : { startCheck: startCheck(precheck, recheck, printRefusal) };
}

function printRefusal(report: PrecheckReport): void {
  process.stderr.write(printableLines(renderText(report, { color: false, width: null })));
}

function logLevel(flag: string | undefined): string {
  const { level, problem } = resolveLogLevel(flag);
  if (problem) throw new UsageError(problem);
  return level;
}

function metricsEndpoint(port: string | undefined, host: string | undefined): { host: string; port: number } | null {
  if (port === undefined) {
    if (host !== undefined) throw new UsageError("--metrics-host needs --metrics-port");
    return null;
  }
  const number = Number(port);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new UsageError(`--metrics-port takes a port number 0–65535; got "${port}"`);
  return { host: host ?? "127.0.0.1", port: number };
}

/** The error in the one problem shape (`spec.dts:5:14: error DTS5002: …` when the spec caused it). */
function report(error: RuntimeError, verbose: boolean): void {
  const cause = verbose && error.cause instanceof Error ? `\n  cause: ${error.cause.stack ?? error.cause.message}` : "";
  process.stderr.write(`${printableLines(`${renderProblem(error.toProblem(), "dts run: ")}${cause}`)}\n`);
}

export const runCommand: Command = {
  summary: "stream a pipeline's changes into Kafka",
  help,
  run,
};
