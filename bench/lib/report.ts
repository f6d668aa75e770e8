// Result tables in Markdown: one row per system, every figure also as a ratio to Maxwell
// (ours ÷ Maxwell; below 1 is better for CPU, memory and latency, above 1 for throughput).
import type { Measurement } from "../workloads/harness.js";

const MB = 1024 * 1024;

function num(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return "-";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

interface Figures {
  rowsPerSecond: number;
  mbPerSecond: number;
  cpuPerMillion: number;
  peakRssMb: number;
}

function figures(m: Measurement): Figures {
  return {
    rowsPerSecond: m.seconds > 0 ? m.rows / m.seconds : Number.NaN,
    mbPerSecond: m.seconds > 0 ? m.bytes / MB / m.seconds : Number.NaN,
    cpuPerMillion: m.rows > 0 ? (m.cpuSeconds / m.rows) * 1_000_000 : Number.NaN,
    peakRssMb: m.peakRssBytes / MB,
  };
}

function ratio(ours: number, peer: number | undefined): string {
  if (peer === undefined || !Number.isFinite(peer) || peer === 0 || !Number.isFinite(ours)) return "-";
  return `${num(ours / peer, 2)}×`;
}

export function resultTable(measurements: Measurement[]): string[] {
  const peer = measurements.find((m) => m.isPeer && m.status === "ok");
  const peerFigures = peer ? figures(peer) : null;
  const extraKeys = [...new Set(measurements.flatMap((m) => Object.keys(m.extra)))];
  const header = ["system", "rows", "rows/s", "MB/s", "CPU s / 1M rows", "peak RSS MB", ...extraKeys];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const m of measurements) {
    if (m.status !== "ok") {
      lines.push(`| ${m.system} | ${m.status === "unavailable" ? "not available" : "failed"}: ${(m.reason ?? "").replaceAll("|", "/").replaceAll("\n", " ")} |`);
      continue;
    }
    const f = figures(m);
    const withRatio = (value: string, ours: number, theirs: number | undefined) => (m.isPeer || !peerFigures ? value : `${value} (${ratio(ours, theirs)})`);
    const extras = extraKeys.map((key) => {
      const value = m.extra[key];
      if (value === undefined) return "-";
      if (typeof value !== "number") return value;
      const peerValue = peer?.extra[key];
      return withRatio(num(value, Number.isInteger(value) ? 0 : 2), value, typeof peerValue === "number" ? peerValue : undefined);
    });
    lines.push(`| ${[
      m.system,
      m.rows.toLocaleString("en-US"),
      withRatio(num(f.rowsPerSecond, 0), f.rowsPerSecond, peerFigures?.rowsPerSecond),
      withRatio(num(f.mbPerSecond, 2), f.mbPerSecond, peerFigures?.mbPerSecond),
      withRatio(num(f.cpuPerMillion, 1), f.cpuPerMillion, peerFigures?.cpuPerMillion),
      withRatio(num(f.peakRssMb, 0), f.peakRssMb, peerFigures?.peakRssMb),
      ...extras,
    ].join(" | ")} |`);
  }
  if (!peer) lines.push("", "Ratios to Maxwell are missing because Maxwell has no figure in this run (see its row).");
  else lines.push("", "Figures in parentheses are ours ÷ Maxwell's.");
  return lines;
}
