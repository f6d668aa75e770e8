// A reader that goes away (`dts plan | head`) makes the next write to stdout fail with EPIPE,
// which Node raises as an unhandled 'error' event: a stack trace. A command whose output is its
// result ends there, with exit 0 as `dts tail` does; `dts run`, whose output is only logs, goes
// on streaming. A failed write to stderr has nowhere to be told and is ignored.
import { ExitCode } from "./command.js";

/** Commands that handle their own stdout (tail) or must outlive it (run). */
const keepGoing = new Set(["run", "tail"]);

/** The command running; the handlers are installed once per process. */
let running: string | null = null;

function stdoutFailed(error: NodeJS.ErrnoException): void {
  if (running === null || keepGoing.has(running)) return;
  if (error.code === "EPIPE") process.exit(ExitCode.ok);
  process.stderr.write(`dts ${running}: cannot write to stdout: ${error.message}\n`);
  process.exit(ExitCode.failure);
}

export function endOnClosedOutput(command: string): void {
  if (running === null) {
    process.stderr.on("error", () => undefined);
    process.stdout.on("error", stdoutFailed);
  }
  running = command;
}
