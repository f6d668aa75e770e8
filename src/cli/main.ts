// The single `dts` entrypoint: a dispatcher over a table of commands.
// Register a command by adding one line to `commands`.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { didYouMean } from "../plan/index.js";
import { renderProblem } from "../problems/index.js";
import { printable, printableLines, RuntimeError } from "../runtime/index.js";
import { InputError, UsageError, ExitCode, type Command } from "./command.js";
import { checkCommand } from "./check.js";
import { endOnClosedOutput } from "./closed-output.js";
import { exitWhenDone } from "./exit.js";
import { explainCommand } from "./explain.js";
import { fmtCommand } from "./fmt.js";
import { applyHeapSettings } from "./heap-settings.js";
import { planCommand } from "./plan.js";
import { precheckCommand } from "./precheck.js";
import { reloadCommand } from "./reload.js";
import { runCommand } from "./run.js";
import { statusCommand } from "./status.js";
import { stopCommand } from "./stop.js";
import { tailCommand } from "./tail.js";
import { testCommand } from "./test.js";

export const commands: Record<string, Command> = {
  check: checkCommand,
  explain: explainCommand,
  fmt: fmtCommand,
  plan: planCommand,
  precheck: precheckCommand,
  reload: reloadCommand,
  run: runCommand,
  status: statusCommand,
  stop: stopCommand,
  tail: tailCommand,
  test: testCommand,
};

function packageVersion(): string {
  // Two levels up from src/cli (tsx) and three from dist/src/cli (built); try both.
  for (const relative of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "dts-kafka" && pkg.version) return pkg.version;
    } catch {
      // not at this level; try the next
    }
  }
  return "unknown";
}

function topLevelHelp(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return [
    "Usage: dts <command> [options]",
    "",
    "Stream MySQL/MariaDB changes into Kafka from .dts pipeline specs.",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help     show help (also: dts <command> --help)",
    "  -v, --version  print the version",
    "  --verbose      (after a command) show the causes and stack of unexpected errors",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const command = topic === undefined ? undefined : commands[topic];
    process.stdout.write(`${command ? command.help : topLevelHelp()}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === "-v" || name === "--version") {
    process.stdout.write(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  const command = commands[name];
  if (!command) {
    const suggestion = didYouMean(name, Object.keys(commands));
    process.stderr.write(`dts: unknown command "${printable(name)}"${suggestion ? ` (${suggestion})` : ""}. Run "dts --help" to see the commands.\n`);
    return ExitCode.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.help}\n`);
    return ExitCode.ok;
  }
  endOnClosedOutput(name);
  try {
    return await command.run(rest);
  } catch (error) {
    return reportUncaught(name, error, rest.includes("--verbose"));
  }
}

/** The last line of defence: one line that says what failed, never a stack trace unless --verbose. */
function reportUncaught(name: string, error: unknown, verbose: boolean): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${printableLines(`dts ${name}: ${error.message}`)}\nRun "dts ${name} --help" for usage.\n`);
    return ExitCode.usage;
  }
  if (error instanceof InputError) {
    process.stderr.write(`${printableLines(`dts ${name}: ${error.message}`)}\n`);
    return ExitCode.failure;
  }
  if (error instanceof RuntimeError) {
    process.stderr.write(`${printableLines(renderProblem(error.toProblem(), `dts ${name}: `))}\n`);
    return ExitCode.failure;
  }
  const message = error instanceof Error ? error.message || error.name : String(error);
  const detail = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : "\n  run it again with --verbose to see where it failed, and report it as a bug";
  process.stderr.write(`${printableLines(`dts ${name}: unexpected error: ${message}`)}${verbose ? printableLines(detail) : detail}\n`);
  return ExitCode.failure;
}

export { exitWhenDone };

// Run directly (`tsx src/cli/main.ts`, i.e. `npm run dts`); bin/dts.js imports main() instead.
const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(invokedPath).href) {
  applyHeapSettings();
  exitWhenDone(await main(process.argv.slice(2)));
}
