// dts fmt: rewrite specs in canonical layout, or with --check list the ones that are not.
import { writeFileSync } from "node:fs";
import { formatSource, type Diagnostic } from "../compiler/index.js";
import { parseCommandArgs } from "./args.js";
import { ExitCode, type Command } from "./command.js";
import { renderDiagnostics } from "../compiler/index.js";
import { readSpecFiles } from "./spec-files.js";

export const fmtCommand: Command = {
  summary: "format .dts specs canonically (keeps comments)",
  help: `Usage: dts fmt [options] <files or directories...>

Rewrites each spec in the canonical layout, keeping comments. Files with syntax
errors are left alone and reported.

Options:
  --check     write nothing; list files that are not formatted, exit 1 if any
  --stdout    print the formatted text instead of writing the files
  -h, --help  show this help`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: "boolean" }, stdout: { type: "boolean" } });
    const files = readSpecFiles(positionals);
    const problems: Diagnostic[] = [];
    let unformatted = 0;
    for (const { file, text } of files) {
      const result = formatSource(file, text);
      if (!result.ok) {
        problems.push(...result.diagnostics);
        continue;
      }
      if (values.stdout) process.stdout.write(result.text);
      else if (result.text !== text) {
        unformatted++;
        if (values.check) process.stdout.write(`${file}: not formatted\n`);
        else {
          writeFileSync(file, result.text);
          process.stdout.write(`${file}: formatted\n`);
        }
      }
    }
    if (problems.length) process.stderr.write(renderDiagnostics(problems, "text", new Map(files.map((f) => [f.file, f.text]))));
    return problems.length || (values.check && unformatted) ? ExitCode.failure : ExitCode.ok;
  },
};
