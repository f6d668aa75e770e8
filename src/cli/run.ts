// dts run: compile a spec (or read a compiled plan) and stream its pipeline(s) until stopped.
import { readFileSync } from "node:fs";
import { validatePlan, type ExecutionPlan } from "../compiler/index.js";
import { run as runPipelines, RuntimeError } from "../runtime/index.js";
import { createLogger } from "../runtime/logger.js";
import { runPrechecks } from "../runtime/precheck/index.js";
import { renderText } from "../runtime/precheck/render.js";
import { parseCommandArgs } from "./args.js";
import { parseSkipList } from "./precheck.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { compileSpecFiles } from "./spec-files.js";

export const help = `Usage: dts run [options] <spec files or directories...>
       dts run --plan plan.json [--pipeline NAME]

Compiles the specs and streams the pipeline's binlog changes into Kafka until it is
stopped with Ctrl-C (SIGINT) or SIGTERM, which flushes, writes a checkpoint and exits 0.
A restart resumes from the checkpoint in the pipeline's state folder. Without
--pipeline every pipeline of the specs runs.

Status is written to <checkpoint directory>/<pipeline>/status.json about once a second.

Options:
  --pipeline <name>  run only this pipeline
  --plan <file>      run a plan made by \`dts plan\` instead of compiling specs; secrets
                     written as literals in the spec are not in a plan: use env() or file()
  --log-level <lvl>  trace, debug, info (default), warn, error
  --skip-precheck <ids>  leave these precheck items out (comma-separated ids, as
                     \`dts precheck\` prints them); by default a failing item stops the start
  --metrics-port <n> serve /metrics (Prometheus), /healthz, /readyz and /status on this
                     port (0 picks a free one; \`dts status\` finds it in the status file)
  --metrics-host <h> address to bind them to (default 127.0.0.1)
  --verbose          show the causes of errors
  -h, --help         show this help

Exit codes: 0 stopped cleanly or finished, 1 the pipeline failed (the reason is printed and kept in
the status file), 2 usage error.`;

function loadPlan(path: string): ExecutionPlan {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`cannot read plan ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = validatePlan(json);
  if (!result.ok) {
    const lines = result.errors.map((e) => `  ${e.pointer || "/"}: ${e.message}`).join("\n");
    throw new UsageError(`${path} is not a valid plan:\n${lines}`);
  }
  return result.plan;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    pipeline: { type: "string" },
    plan: { type: "string" },
    "log-level": { type: "string" },
    verbose: { type: "boolean" },
    "skip-precheck": { type: "string" },
    "metrics-port": { type: "string" },
    "metrics-host": { type: "string" },
  });
  const http = metricsEndpoint(values["metrics-port"], values["metrics-host"]);
  const skip = parseSkipList(values["skip-precheck"]);
  let plan: ExecutionPlan;
  let literalSecrets: Record<string, string> = {};
  if (values.plan !== undefined) {
    if (positionals.length > 0) throw new UsageError("give either --plan or spec files, not both");
    plan = loadPlan(values.plan);
  } else {
    const compiled = compileSpecFiles(positionals);
    if (!compiled) return ExitCode.failure;
    ({ plan, literalSecrets } = compiled);
  }
  // Like DTS, refuse to start while a precheck item fails; named items can be skipped.
  const precheck = await runPrechecks(plan, values.pipeline ?? null, literalSecrets, { skip });
  if (!precheck.ok) {
    process.stderr.write(renderText(precheck, { color: false, width: null }));
    process.stderr.write("dts run: the precheck failed, so the pipeline was not started.\n  hint: fix the FAIL items above, or skip named ones with --skip-precheck ID,ID\n");
    return ExitCode.failure;
  }
  const log = createLogger(values["log-level"] === undefined ? {} : { level: values["log-level"] });
  try {
    const result = await runPipelines(plan, values.pipeline ?? null, { literalSecrets, log, ...(http ? { http } : {}) });
    if (result.phase === "failed" && result.error) {
      report(result.error, values.verbose ?? false);
      return ExitCode.failure;
    }
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof RuntimeError) {
      report(error, values.verbose ?? false);
      return ExitCode.failure;
    }
    throw error;
  } finally {
    log.flush();
  }
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

function report(error: RuntimeError, verbose: boolean): void {
  const cause = verbose && error.cause instanceof Error ? `\n  cause: ${error.cause.stack ?? error.cause.message}` : "";
  process.stderr.write(`dts run: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ""}${cause}\n`);
}

export const runCommand: Command = {
  summary: "stream a pipeline's changes into Kafka",
  help,
  run,
};
