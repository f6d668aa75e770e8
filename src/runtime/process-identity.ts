// Telling whether the process that wrote a status or lock file still runs. A pid alone is not
// enough: after the writer died the kernel hands the same pid to any new program, and
// `kill(pid, 0)` then reports a stranger as our pipeline. So writers record their start time
// (Linux: the boot id plus the start tick from /proc/<pid>/stat), and readers compare it.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Boot id and start tick of the process; null where /proc is not available. */
  processStart: string | null;
}

/** "running": that very process; "gone": exited, or its pid now belongs to another program; "unknown": on another host. */
export type Liveness = "running" | "gone" | "unknown";

function bootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "";
  }
}

/** State letter and start tick of a pid, from /proc; null when it cannot be read. */
function procStat(pid: number): { state: string; start: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const start = fields[19];
  return state && start ? { state, start } : null;
}

function startOf(pid: number): string | null {
  const stat = procStat(pid);
  return stat ? `${bootId()}/${stat.start}` : null;
}

let self: ProcessIdentity | null = null;

export function currentProcess(): ProcessIdentity {
  self ??= { pid: process.pid, host: hostname(), processStart: startOf(process.pid) };
  return self;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the process recorded as `owner` still runs; a record without a start time is judged by its pid alone. */
export function processLiveness(owner: { pid: unknown; host?: unknown; processStart?: unknown }): Liveness {
  if (typeof owner.host === "string" && owner.host !== currentProcess().host) return "unknown";
  const pid = owner.pid;
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return "gone";
  if (!pidExists(pid)) return "gone";
  const stat = procStat(pid);
  // A zombie has exited; only its parent has not collected it yet.
  if (stat?.state === "Z") return "gone";
  if (typeof owner.processStart === "string" && stat && `${bootId()}/${stat.start}` !== owner.processStart) return "gone";
  return "running";
}
