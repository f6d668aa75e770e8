// Stopping and starting the stack's services for the outage tests. Uses the command named by
// DTS_STACK_CONTROL (`<cmd> stop|start kafka|mariadb`) when set, else the stack scripts'
// programmatic API when it provides one; tests skip with a clear reason when neither exists.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./runtime-helpers.js";

export type Service = "kafka" | "mariadb";

export interface StackControl {
  stop(service: Service): Promise<void>;
  start(service: Service): Promise<void>;
}

const run = promisify(execFile);

export async function stackControl(): Promise<StackControl | string> {
  const command = process.env.DTS_STACK_CONTROL;
  if (command) {
    return {
      stop: async (service) => void (await run(command, ["stop", service], { timeout: 120_000 })),
      start: async (service) => void (await run(command, ["start", service], { timeout: 120_000 })),
    };
  }
  const modulePath = join(repoRoot, "scripts/stack/control.ts");
  if (!existsSync(modulePath)) return "scripts/stack has no programmatic stop/start (scripts/stack/control.ts) and DTS_STACK_CONTROL is not set";
  const api = (await import(modulePath)) as Partial<StackControl>;
  if (typeof api.stop !== "function" || typeof api.start !== "function") return "scripts/stack/control.ts does not export stop(service) and start(service)";
  return { stop: api.stop, start: api.start };
}
