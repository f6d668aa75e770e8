// dts fmt: rewrite specs in canonical layout, or with --check list the ones that are not.
import { formatSource, renderDiagnostics, type Diagnostic } from "../compiler/index.js";
import { parseCommandArgs } from "./args.js";
import { ExitCode, type Command } from "./command.js";
import { replaceFile } from "./replace-file.js";
import { readSpecFiles } from "./spec-files.js";

/** Writes the formatted text; a file that cannot be written is reported, not thrown. */
function write(file: string, text: string): boolean {
  try {
    replaceFile(file, text);
    process.stdout.write(`${file}: formatted\n`);
    return true;
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    process.stderr.write(`${file}: cannot write the formatted file (${reason}); it is unchanged\n`);
    return false;
  }
}

export const fmtCommand: Command = {
  summary: "format .dts specs canonically (keeps comments)",
  help: `Usage: dts fmt [options] <files or directories...>

Rewrites each spec in the canonical layout, keeping comments, the file's line
endings (the style most of its lines use) and a byte-order mark if it has one.
A file is replaced in one step, so an interrupted run never leaves half a file.
Files with syntax errors are left alone and reported. A directory stands for the
.dts files in it and in the folders below it (dot folders and node_modules skipped).

Options:
  --check     write nothing; list files that are not formatted, exit 1 if any
  --stdout    print the formatted text instead of writing the files
  -h, --help  show this help`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: "boolean" }, stdout: { type: "boolean" } });
    // Spec tests are written in the same language and laid out alike.
    const files = readSpecFiles(positionals, true, true);
    const problems: Diagnostic[] = [];
    let failed = 0;
    for (const { file, text } of files) {
      const result = formatSource(file, text);
      if (!result.ok) {
        problems.push(...result.diagnostics);
        continue;
      }
      if (values.stdout) process.stdout.write(result.text);
      else if (result.text === text) continue;
      else if (values.check) {
        process.stdout.write(`${file}: not formatted\n`);
        failed++;
      } else if (!write(file, result.text)) failed++;
    }
    if (problems.length) process.stderr.write(renderDiagnostics(problems, "text", new Map(files.map((f) => [f.file, f.text]))));
    return problems.length || failed ? ExitCode.failure : ExitCode.ok;
  },
};
