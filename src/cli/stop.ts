// dts stop: ask running pipelines to stop, or (for migrations, as DTS ends a migration task)
// to finish once they have caught up, and wait until they have.
import { pipelineStateDir, printable } from "../runtime/index.js";
import { describePhase, observePipeline, pipelineRunning, type PipelineObservation } from "../status/index.js";
import { parseCommandArgs } from "./args.js";
import { leaveControlRequest } from "./control-request.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { compileSpecFiles, requirePipeline } from "./spec-files.js";

export const help = `Usage: dts stop [options] <spec files or directories...>

Asks each running pipeline of the specs to stop: it flushes, writes its checkpoint and
exits, as on SIGTERM. With --when-caught-up it first keeps streaming until its delay
behind the source is zero and Kafka acknowledged every message, then checkpoints and
ends with status "finished" (stop writes to the source first, as when ending a DTS
migration). Waits until the pipelines have ended unless --no-wait is given.

Options:
  --pipeline <name>    stop only this pipeline
  --when-caught-up     finish once caught up instead of stopping now
  --timeout <time>     give up waiting after this long: 90s, 10m, 1h (default 10m)
  --no-wait            return once the request is delivered
  -h, --help           show this help

Exit codes: 0 every pipeline ended (stopped or finished), 1 one failed, was not running
or did not end in time, 2 usage error.`;

const ended = new Set(["stopped", "finished", "failed"]);

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 600_000;
  const m = /^(\d+)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--timeout takes a duration such as 90s, 10m or 1h; got "${text}"`);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "s" | "m" | "h"];
}

async function waitUntilEnded(directory: string, pipeline: string, deadline: number): Promise<PipelineObservation> {
  let lastLine = "";
  for (;;) {
    const observation = await observePipeline(directory, pipeline);
    const phase = observation.status?.phase ?? "unknown";
    const running = pipelineRunning(observation, directory, pipeline);
    if (ended.has(phase) || !running || Date.now() >= deadline) return observation;
    const delay = observation.status?.delaySeconds;
    const line = printable(`${pipeline}: ${describePhase(observation)}${typeof delay === "number" ? `, delay ${delay}s` : ""}`);
    if (line !== lastLine) process.stderr.write(`${line}\n`);
    lastLine = line;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    pipeline: { type: "string" }, "when-caught-up": { type: "boolean" }, timeout: { type: "string" }, "no-wait": { type: "boolean" },
  });
  const timeoutMs = parseTimeout(values.timeout);
  const compiled = compileSpecFiles(positionals);
  if (!compiled) return ExitCode.failure;
  const pipelines = requirePipeline(compiled.plan, values.pipeline).map((i) => compiled.plan.pipelines[i] as (typeof compiled.plan.pipelines)[number]);
  const action = values["when-caught-up"] ? "finish-when-caught-up" : "stop";
  let code: number = ExitCode.ok;
  const asked: { name: string; directory: string }[] = [];
  for (const pipeline of pipelines) {
    const directory = pipeline.checkpoint.directory;
    const observation = await observePipeline(directory, pipeline.name);
    // A damaged status file says nothing; the run's lock on the state folder still does.
    if (!pipelineRunning(observation, directory, pipeline.name)) {
      process.stderr.write(`${printable(`${pipeline.name}: not running (${describePhase(observation)}); nothing to stop`)}\n`);
      code = ExitCode.failure;
      continue;
    }
    if (!leaveControlRequest(pipeline.name, pipelineStateDir(directory, pipeline.name), action)) {
      code = ExitCode.failure;
      continue;
    }
    process.stderr.write(`${printable(pipeline.name)}: ${action === "stop" ? "asked to stop" : "asked to finish once caught up"}\n`);
    asked.push({ name: pipeline.name, directory });
  }
  if (values["no-wait"]) return code;
  const deadline = Date.now() + timeoutMs;
  for (const { name, directory } of asked) {
    const observation = await waitUntilEnded(directory, name, deadline);
    const phase = observation.status?.phase ?? "unknown";
    process.stdout.write(`${printable(`${name}: ${describePhase(observation)}`)}\n`);
    if (phase === "failed" || !ended.has(phase)) code = ExitCode.failure;
  }
  return code;
}

export const stopCommand: Command = {
  summary: "stop running pipelines, or finish migrations once caught up",
  help,
  run,
};
