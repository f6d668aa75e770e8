// dts explain: what a code means and its standard fix, from the one catalog of codes.
import { didYouMean } from "../plan/index.js";
import { catalog, lookupCode, renderEntry } from "../problems/index.js";
import { parseCommandArgs } from "./args.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { printable } from "../runtime/index.js";

export const help = `Usage: dts explain [<code>...]

Prints what a code means, the phase that reports it (syntax, meaning, plan, precheck,
runtime), its severity and its standard fix. Codes appear in every message: \`dts check\`
(DTS1xxx–3xxx), \`dts precheck\` (DTS4xxx) and errors of \`dts run\` (DTS5xxx). The
digits alone will do (\`dts explain 2004\`). Without a code, lists every code.

Options:
  -h, --help  show this help

Exit codes: 0 printed, 2 an unknown code or usage error.`;

export async function run(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  if (positionals.length === 0) {
    const width = Math.max(...catalog.map((e) => e.severity.length));
    process.stdout.write(`${catalog.map((e) => `${e.code}  ${e.severity.padEnd(width)}  ${e.title}`).join("\n")}\n`);
    return ExitCode.ok;
  }
  const entries = positionals.map((code) => {
    const entry = lookupCode(code);
    if (entry) return entry;
    const suggestion = didYouMean(code.toUpperCase(), catalog.map((e) => e.code));
    throw new UsageError(`no code ${printable(code)}${suggestion ? ` (${suggestion})` : ""}; run "dts explain" to list them`);
  });
  process.stdout.write(`${entries.map(renderEntry).join("\n\n")}\n`);
  return ExitCode.ok;
}

export const explainCommand: Command = {
  summary: "explain an error code and its fix",
  help,
  run,
};
