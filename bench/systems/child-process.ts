// A system under test as a child process: its output goes to a log file in the work folder,
// the last lines of which explain an early exit.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

export class ManagedChild {
  readonly #child: ChildProcess;
  readonly #logFile: string;
  #exited = false;
  #exitCode: number | null = null;
  readonly exited: Promise<void>;

  constructor(command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv, cwd: string) {
    this.#logFile = logFile;
    const out = openSync(logFile, "a");
    try {
      this.#child = spawn(command, args, { cwd, env, stdio: ["ignore", out, out] });
    } finally {
      closeSync(out);
    }
    this.exited = new Promise((resolve) => {
      this.#child.once("exit", (code) => {
        this.#exited = true;
        this.#exitCode = code;
        resolve();
      });
      this.#child.once("error", () => {
        this.#exited = true;
        resolve();
      });
    });
  }

  get pid(): number {
    if (this.#child.pid === undefined) throw new Error(`could not start ${this.#child.spawnfile}: is it installed?`);
    return this.#child.pid;
  }

  alive(): boolean {
    return !this.#exited;
  }

  /** The last meaningful lines of the process's output, for a report. */
  exitReason(): string {
    if (!this.#exited) return "";
    const lines = readFileSync(this.#logFile, "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "");
    const tail = lines.slice(-3).join(" | ");
    return `exited with code ${this.#exitCode}: ${tail}`.slice(0, 400);
  }

  /** SIGTERM (a clean stop for both systems), SIGKILL after graceMs. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.#exited) return;
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
