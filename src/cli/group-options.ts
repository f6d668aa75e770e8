// The command-line options of group mode (`dts run --group`, `dts status --group`).
import { hostname } from "node:os";
import type { ExecutionPlan } from "../compiler/index.js";
import { groupNamePattern, type GroupIdentity } from "../runtime/index.js";
import { UsageError } from "./command.js";

/** Kafka Connect's default; the brokers accept 6 s to 30 min unless configured otherwise. */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

export interface GroupSettings {
  identity: GroupIdentity;
  sessionTimeoutMs: number;
}

/** `value` when it is a name the option may take (it becomes a folder name and a Kafka id). */
function checkedName(option: string, value: string): string {
  if (!groupNamePattern.test(value)) throw new UsageError(`${option} takes a name of letters, digits, '.', '_' and '-' (up to 128, starting with a letter or digit); got "${value}"`);
  return value;
}

export function groupName(value: string): string {
  return checkedName("--group", value);
}

/** Null without --group; the worker id defaults to the machine's name and the process id. */
export function groupSettings(values: { group?: string | undefined; "worker-id"?: string | undefined; "session-timeout"?: string | undefined; pipeline?: string | undefined }): GroupSettings | null {
  if (values.group === undefined) {
    if (values["worker-id"] !== undefined || values["session-timeout"] !== undefined) throw new UsageError("--worker-id and --session-timeout only apply with --group");
    return null;
  }
  if (values.pipeline !== undefined) throw new UsageError("--pipeline does not apply with --group: the group shares out every pipeline of the specs");
  const worker = checkedName("--worker-id", values["worker-id"] ?? `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9_.-]/g, "-"));
  return { identity: { group: groupName(values.group), worker }, sessionTimeoutMs: sessionTimeout(values["session-timeout"]) };
}

function sessionTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SESSION_TIMEOUT_MS;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (match[2] === "ms" ? 1 : match[2] === "m" ? 60_000 : 1000) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 1000 || ms > 1_800_000) throw new UsageError(`--session-timeout takes a duration such as 10s (1s to 30m; the brokers accept 6s to 30m by default); got "${value}"`);
  return Math.round(ms);
}

/** A plan given with --plan was not compiled for a group: the same rule as the compiler's DTS2036. */
export function requireCheckpointTopics(plan: ExecutionPlan, from: string): void {
  const missing = plan.pipelines.filter((p) => p.checkpoint.topic === null).map((p) => p.name);
  if (missing.length === 0) return;
  throw new UsageError(`${from}: pipeline(s) ${missing.join(", ")} have no checkpoint topic, which a group needs (the worker taking a pipeline over resumes from it); add checkpoint { topic = "dts.checkpoints" } to their specs`);
}
