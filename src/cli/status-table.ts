// How `dts status` prints pipelines: the table and the JSON, with a WORKER column when they
// were seen through a group of workers (`dts status --group`).
import { describePhase, pipelineStalled, type PipelineObservation } from "../status/index.js";
import { printable, printableJson } from "../runtime/index.js";

function checkpointText(o: PipelineObservation): string {
  const c = o.status?.checkpoint;
  if (!c?.position) return "none";
  const where = c.position.file ? `${c.position.file}:${c.position.offset}` : (c.position.gtidSet ?? "");
  return c.eventTime ? `${where} (${c.eventTime})` : where;
}

/** Whether the status holds current figures: the process answered, or runs and writes its file. */
const answering = (o: PipelineObservation) => o.from === "http" || (o.alive && !pipelineStalled(o));

/** A number from the status, or "-" when the process is not running or the file lacks it. */
function liveNumber(o: PipelineObservation, value: unknown, unit = ""): string {
  return answering(o) && typeof value === "number" && Number.isFinite(value) ? `${value}${unit}` : "-";
}

/** The delay in seconds, or why it is unknown; "-" when the process is not running. */
function delayText(o: PipelineObservation): string {
  const status = o.status;
  if (!answering(o) || !status) return "-";
  if (status.delaySeconds === null) return `unknown: ${status.delayReason ?? "no reason recorded"}`;
  return liveNumber(o, status.delaySeconds, "s");
}

function sourceText(o: PipelineObservation): string {
  if (o.from === "http") return `http://${o.status?.http?.host}:${o.status?.http?.port}`;
  return o.from === "file" ? "status file" : "-";
}

/** A pipeline as seen through a group: which worker runs it, and "not assigned" when none. */
export type ObservationRow = PipelineObservation & { worker?: string | null };

function phaseText(o: ObservationRow): string {
  if (o.worker === undefined) return describePhase(o);
  if (o.worker === null) return "not assigned to any worker";
  return o.status ? describePhase(o) : `unknown: worker ${o.worker} does not answer`;
}

function row(o: ObservationRow): Record<string, string> {
  return {
    PIPELINE: o.pipeline,
    ...(o.worker !== undefined ? { WORKER: o.worker ?? "-" } : {}),
    PHASE: phaseText(o),
    DELAY: delayText(o),
    "EVENTS/S": liveNumber(o, o.status?.eventsPerSecond),
    CHECKPOINT: checkpointText(o),
    SERVER: o.status?.source ?? "-",
    SOURCE: sourceText(o),
  };
}

export function renderStatusTable(observations: readonly ObservationRow[]): string {
  const rows = observations.map((o) => Object.fromEntries(Object.entries(row(o)).map(([k, v]) => [k, printable(v)])));
  const grouped = observations.some((o) => o.worker !== undefined);
  const headers = ["PIPELINE", ...(grouped ? ["WORKER"] : []), "PHASE", "DELAY", "EVENTS/S", "CHECKPOINT", "SERVER", "SOURCE"];
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => (r[h] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join("  ").trimEnd();
  return [line(headers), ...rows.map((r) => line(headers.map((h) => r[h] ?? "")))].join("\n") + "\n";
}

/** A figure the running process reports; null once it is gone (the file's last figure is stale). */
const liveFigure = <T>(o: ObservationRow, value: T | undefined): T | null => (answering(o) ? (value ?? null) : null);

/** Why a pipeline whose process does not answer shows no delay. */
function staleReason(o: ObservationRow): string | null {
  if (!o.status) return null;
  return o.alive ? "not answering" : "not running";
}

export function statusJson(observations: readonly ObservationRow[], extra: Record<string, unknown> = {}): string {
  const items = observations.map((o) => ({
    pipeline: o.pipeline,
    ...(o.worker !== undefined ? { worker: o.worker } : {}),
    phase: o.status?.phase ?? null,
    description: phaseText(o),
    running: o.from === "http" || o.alive,
    from: o.from,
    stateDir: o.stateDir,
    problem: o.problem ?? null,
    delaySeconds: liveFigure(o, o.status?.delaySeconds),
    delayReason: answering(o) ? (o.status?.delayReason ?? null) : staleReason(o),
    eventsPerSecond: liveFigure(o, o.status?.eventsPerSecond),
    messagesTotal: o.status?.messagesTotal ?? null,
    checkpoint: o.status?.checkpoint ?? null,
    sourceServer: o.status?.source ?? null,
    retry: o.status?.retry ?? null,
    error: o.status?.error ?? null,
    snapshot: o.status?.snapshot ?? null,
    specChanges: o.status?.specChanges ?? [],
    updatedAt: o.status?.updatedAt ?? null,
  }));
  return `${printableJson({ ...extra, pipelines: items })}\n`;
}
