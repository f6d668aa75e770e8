// dts check: compile specs and report every diagnostic; exit 1 on errors.
import { compile } from "../compiler/index.js";
import { choice, parseCommandArgs } from "./args.js";
import { ExitCode, type Command } from "./command.js";
import { diagnosticFormats, renderDiagnostics } from "../compiler/index.js";
import { filesIn, foldersBelow, readSpecFiles, statPath, type SpecFile } from "./spec-files.js";

/**
 * The sets of spec files checked together: the paths as given, then each folder below a
 * directory given that holds specs. A directory with specs only in folders below it adds none
 * of its own.
 */
function specSets(paths: string[]): SpecFile[][] {
  const below = paths.map((path) => (statPath(path).isDirectory() ? foldersBelow(path) : []));
  const direct = paths.filter((path, i) => below[i]?.length === 0 || filesIn(path, false).length > 0);
  return [...(direct.length > 0 || paths.length === 0 ? [readSpecFiles(direct)] : []), ...below.flat().map((folder) => readSpecFiles([folder]))];
}

export const checkCommand: Command = {
  summary: "check .dts specs and report problems",
  help: `Usage: dts check [options] <files or directories...>

Compiles the specs together (pipelines in different files are checked against each
other) and prints every problem found. A directory stands for the specs directly in
it; each folder below it (at any depth; dot folders and node_modules skipped) that
holds specs is checked as a set of its own, as \`dts check <folder>\` checks it.
Exit code 0 when there are no errors, 1 when there are, 2 on a usage error.

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
    const options = { strict: values.strict ?? false, group: values.group ?? false };
    const sets = specSets(positionals);
    const diagnostics = sets.flatMap((files) => compile(files, options).diagnostics);
    const texts = new Map(sets.flat().map((f: SpecFile) => [f.file, f.text]));
    process.stdout.write(renderDiagnostics(diagnostics, format, texts));
    return diagnostics.some((d) => d.severity === "error") ? ExitCode.failure : ExitCode.ok;
  },
};
