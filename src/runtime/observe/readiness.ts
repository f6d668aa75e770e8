// /readyz: ready when every pipeline is copying or streaming and, for a streaming pipeline whose
// spec sets max_delay, its delay is at most that, or unknown for no longer than that. A delay that has
// been unknown for a moment (a reconnect, the first seconds of a session) is not a reason yet.
import type { PipelineStatus } from "../status.js";

const readyPhases = new Set<string>(["snapshotting", "streaming"]);

/** Why a pipeline is not ready, or null when it is. */
function notReady(status: PipelineStatus, nowMs: number): string | null {
  if (!readyPhases.has(status.phase)) return `${status.pipeline} is ${status.phase}${status.error ? `: ${status.error.message}` : ""}`;
  const max = status.maxDelaySeconds;
  // An initial sync is behind by nature until it is done; it is ready as before.
  if (max === null || max === undefined || status.phase === "snapshotting") return null;
  if (status.delaySeconds !== null) {
    return status.delaySeconds > max ? `${status.pipeline} is ${status.delaySeconds}s behind the source, more than max_delay ${max}s` : null;
  }
  const since = status.delayUnknownSince ? Date.parse(status.delayUnknownSince) : Number.NaN;
  const unknownFor = Number.isNaN(since) ? Number.POSITIVE_INFINITY : (nowMs - since) / 1000;
  if (unknownFor <= max) return null;
  const how = Number.isFinite(unknownFor) ? ` for ${Math.round(unknownFor)}s` : "";
  return `${status.pipeline}'s delay has been unknown${how}, longer than max_delay ${max}s: ${status.delayReason ?? "no reason recorded"}`;
}

/** Ready when there is at least one pipeline and none has a reason not to be. */
export function readiness(statuses: readonly PipelineStatus[], nowMs = Date.now()): { ready: boolean; reasons: string[] } {
  if (statuses.length === 0) return { ready: false, reasons: ["no pipeline is running yet"] };
  const reasons = statuses.map((s) => notReady(s, nowMs)).filter((r): r is string => r !== null);
  return { ready: reasons.length === 0, reasons };
}
