// dts plan: compile specs and print the execution plan JSON (never the literal secrets).
import { compile } from "../compiler/index.js";
import { parseCommandArgs, choice } from "./args.js";
import { ExitCode, type Command } from "./command.js";
import { diagnosticFormats, renderDiagnostics } from "../compiler/index.js";
import { readSpecFiles, requirePipeline } from "./spec-files.js";

export const planCommand: Command = {
  summary: "print the execution plan a spec compiles to",
  help: `Usage: dts plan [options] <files...>

Compiles the specs and prints the execution plan as JSON on stdout. Problems go to
stderr; with any error nothing is printed and the exit code is 1.
Passwords written as literals appear as {"literal": "redacted"}.

Options:
  --pipeline <name>            print only this pipeline
  --format <text|json|github>  style of the diagnostics on stderr (default text)
  --strict                     treat literal secrets as errors
  -h, --help                   show this help`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { pipeline: { type: "string" }, format: { type: "string" }, strict: { type: "boolean" } });
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
