// Result tables in Markdown: one row per system with its figures, then the ratios of ours to
// each peer, one column per (ours, peer) pair (below 1 is better for CPU, memory and latency,
// above 1 for throughput), and the ratios of each variant of ours to the system it varies
// (exactly-once ÷ at-least-once of the same format).
import type { Measurement } from "../workloads/harness.js";

const MB = 1024 * 1024;

function num(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return "-";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Every figure of a measurement by its column name, the fixed four first, then the workload's own. */
export function figures(m: Measurement): Map<string, number | string> {
  const result = new Map<string, number | string>([
    ["rows/s", m.seconds > 0 ? m.rows / m.seconds : Number.NaN],
    ["MB/s", m.seconds > 0 ? m.bytes / MB / m.seconds : Number.NaN],
    ["CPU s / 1M rows", m.rows > 0 ? (m.cpuSeconds / m.rows) * 1_000_000 : Number.NaN],
    ["peak RSS MB", m.peakRssBytes / MB],
  ]);
  for (const [key, value] of Object.entries(m.extra)) result.set(key, value);
  return result;
}

const DIGITS: Record<string, number> = { "rows/s": 0, "MB/s": 2, "CPU s / 1M rows": 1, "peak RSS MB": 0 };

function formatFigure(name: string, value: number | string | undefined): string {
  if (value === undefined) return "-";
  if (typeof value !== "number") return value;
  return num(value, DIGITS[name] ?? (Number.isInteger(value) ? 0 : 2));
}

export function ratio(ours: number | string | undefined, peer: number | string | undefined): string {
  if (typeof ours !== "number" || typeof peer !== "number" || !Number.isFinite(ours) || !Number.isFinite(peer) || peer === 0) return "-";
  return `${num(ours / peer, 2)}×`;
}

function valueTable(measurements: Measurement[], names: string[]): string[] {
  const header = ["system", "rows", ...names];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const m of measurements) {
    if (m.status !== "ok") {
      lines.push(`| ${m.system} | ${m.status === "unavailable" ? "not available" : "failed"}: ${(m.reason ?? "").replaceAll("|", "/").replaceAll("\n", " ")} |`);
      continue;
    }
    const f = figures(m);
    lines.push(`| ${[m.system, m.rows.toLocaleString("en-US"), ...names.map((name) => formatFigure(name, f.get(name)))].join(" | ")} |`);
  }
  return lines;
}

type Pair = { ours: Measurement; other: Measurement };

/** One row per figure with a ratio in at least one column, one column per pair: ours ÷ the other's. */
function pairRows(pairs: Pair[], names: string[]): string[] {
  const header = ["figure", ...pairs.map((pair) => `${pair.ours.system} ÷ ${pair.other.system}`)];
  const rows: string[] = [];
  for (const name of names) {
    const cells = pairs.map((pair) => (pair.ours.status === "ok" && pair.other.status === "ok" ? ratio(figures(pair.ours).get(name), figures(pair.other).get(name)) : "-"));
    if (cells.some((cell) => cell !== "-")) rows.push(`| ${[name, ...cells].join(" | ")} |`);
  }
  return rows.length === 0 ? [] : ["", `| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows];
}

/** One row per figure, one column per (ours, peer) pair: ours ÷ the peer's. */
function ratioTable(measurements: Measurement[], names: string[]): string[] {
  const ours = measurements.filter((m) => !m.isPeer && m.status === "ok");
  const peers = measurements.filter((m) => m.isPeer);
  if (ours.length === 0 || peers.length === 0) return [];
  const lines = pairRows(ours.flatMap((o) => peers.map((p) => ({ ours: o, other: p }))), names);
  const missing = peers.filter((p) => p.status !== "ok").map((p) => p.system);
  lines.push("", "Ratios are ours ÷ the peer's: above 1 is better for the rows/s and MB/s figures, below 1 for CPU, memory, delay, latency and catch-up time.");
  if (missing.length > 0) lines.push(`Ratios to ${missing.join(" and ")} are missing because it has no figure in this run (see its row).`);
  return lines;
}

/** One row per figure, one column per variant of ours (exactly-once) beside the system it varies (at-least-once). */
function variantTable(measurements: Measurement[], names: string[]): string[] {
  const pairs = measurements.flatMap((m) => {
    const base = measurements.find((other) => other.system === m.variantOf);
    return base ? [{ ours: m, other: base }] : [];
  });
  if (pairs.length === 0) return [];
  const lines = pairRows(pairs, names);
  lines.push("", "Ratios are exactly-once ÷ at-least-once, the same format in the same run: above 1 means exactly-once has more of the figure (better for rows/s and MB/s, worse for CPU, memory, delay and latency).");
  const missing = pairs.filter((pair) => pair.ours.status !== "ok" || pair.other.status !== "ok").map((pair) => pair.ours.system);
  if (missing.length > 0) lines.push(`Ratios for ${missing.join(" and ")} are missing because a side of the pair has no figure in this run (see its row).`);
  return lines;
}

function figureNames(measurements: Measurement[]): string[] {
  const names = [...new Set(measurements.filter((m) => m.status === "ok").flatMap((m) => [...figures(m).keys()]))];
  if (names.length === 0) names.push("rows/s", "MB/s", "CPU s / 1M rows", "peak RSS MB");
  return names;
}

/** The figures alone, one row per measurement (e.g. each run of a repeated workload). */
export function figureTable(measurements: Measurement[]): string[] {
  return valueTable(measurements, figureNames(measurements));
}

export function resultTable(measurements: Measurement[]): string[] {
  const names = figureNames(measurements);
  return [...valueTable(measurements, names), ...ratioTable(measurements, names), ...variantTable(measurements, names)];
}
