// dts plan: compile specs and print the execution plan JSON (never the literal secrets), or
// with --diff, what the specs change against a base.
import { compile } from "../compiler/index.js";
import { changeFormats, severities } from "../plan-diff/index.js";
import { parseCommandArgs, choice } from "./args.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { diagnosticFormats, renderDiagnostics } from "../compiler/index.js";
import { runPlanDiff } from "./plan-diff.js";
import { readSpecFiles, requirePipeline } from "./spec-files.js";

export const planCommand: Command = {
  summary: "print the execution plan a spec compiles to, or what a change does (--diff)",
  help: `Usage: dts plan [options] <files...>
       dts plan --diff <base> [options] [files or directories...]

Compiles the specs and prints the execution plan as JSON on stdout. Problems go to
stderr; with any error nothing is printed and the exit code is 1.
Passwords written as literals appear as {"literal": "redacted"}.

With --diff, compiles the specs twice, as they are and as they are in <base>, and lists
every difference with its severity and why: breaking (consumers see something else: a
topic, format, partitioning, column or name changes, or a pipeline starts over), caution
(rows appear or disappear, or the run behaves differently) or safe. <base> is a spec
file or folder, or a git revision (origin/main, HEAD~1) read with git for the same paths.
Without files, the .dts files in the current directory are compared.
Exit code 0, or 1 when a spec does not compile (on either side) or a change reaches
--fail-on; 2 on a usage error.

Options:
  --pipeline <name>            print only this pipeline (with --diff: its changes)
  --format <text|json|github>  style of the diagnostics on stderr (default text); with
                               --diff also of the changes on stdout, and markdown (a pull
                               request comment); json prints an array of {pipeline, table,
                               change, severity, why, from, to, file, line, column, side}
  --diff <base>                compare with <base> instead of printing the plan
  --fail-on <breaking|caution> with --diff: exit 1 when a change is this severe or worse
  --strict                     treat literal secrets as errors
  -h, --help                   show this help`,
  async run(args) {
    const options = { pipeline: { type: "string" }, format: { type: "string" }, strict: { type: "boolean" }, diff: { type: "string" }, "fail-on": { type: "string" } } as const;
    const { values, positionals } = parseCommandArgs(args, options);
    if (values.diff !== undefined) {
      const format = choice("format", values.format, changeFormats, "text");
      const failOn = values["fail-on"] === undefined ? undefined : choice("fail-on", values["fail-on"], severities.filter((s) => s !== "safe"), "breaking");
      return runPlanDiff(values.diff, positionals, { format, failOn, pipeline: values.pipeline, compile: { strict: values.strict ?? false } });
    }
    if (values["fail-on"] !== undefined) throw new UsageError("--fail-on only applies with --diff <base>");
    const format = choice("format", values.format, diagnosticFormats, "text");
    const files = readSpecFiles(positionals);
    const result = compile(files, { strict: values.strict ?? false });
    const texts = new Map(files.map((f) => [f.file, f.text]));
    if (result.diagnostics.length) process.stderr.write(renderDiagnostics(result.diagnostics, format, texts));
    if (!result.plan) return ExitCode.failure;
    let plan = result.plan;
    if (values.pipeline !== undefined) {
      const selected = requirePipeline(plan, values.pipeline);
      plan = { ...plan, pipelines: plan.pipelines.filter((_, i) => selected.includes(i)) };
    }
    process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return ExitCode.ok;
  },
};
