// dts check: compile specs and report every diagnostic; exit 1 on errors.
import { compile } from "../compiler/index.js";
import { choice, parseCommandArgs } from "./args.js";
import { ExitCode, type Command } from "./command.js";
import { diagnosticFormats, renderDiagnostics } from "../compiler/index.js";
import { readSpecFiles } from "./spec-files.js";

export const checkCommand: Command = {
  summary: "check .dts specs and report problems",
  help: `Usage: dts check [options] <files or directories...>

Compiles the specs together (pipelines in different files are checked against each
other) and prints every problem found. Exit code 0 when there are no errors, 1 when
there are, 2 on a usage error.

Options:
  --format <text|json|github>  output style (default text); json prints one array of
                               {file, line, column, endLine, endColumn, severity, code,
                               message, hint}; github prints Actions annotations
  --strict                     treat literal secrets as errors
  --group                      check the specs for a group of workers (\`dts run --group\`):
                               every pipeline needs a checkpoint topic
  -h, --help                   show this help`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { format: { type: "string" }, strict: { type: "boolean" }, group: { type: "boolean" } });
    const format = choice("format", values.format, diagnosticFormats, "text");
    const files = readSpecFiles(positionals);
    const result = compile(files, { strict: values.strict ?? false, group: values.group ?? false });
    const texts = new Map(files.map((f) => [f.file, f.text]));
    process.stdout.write(renderDiagnostics(result.diagnostics, format, texts));
    return result.diagnostics.some((d) => d.severity === "error") ? ExitCode.failure : ExitCode.ok;
  },
};
