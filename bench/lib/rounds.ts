// Repeated runs of a workload (--repeat N) folded into one row per system. This machine's runs
// scatter by ±30% from one to the next, so a ratio of two single runs says little; the systems
// run in turn, round after round (A B C A B C …), and each figure is reported as its median over
// the rounds, with the lowest and highest rows/s beside it. Peak RSS is the highest of the
// rounds instead: the memory a system needs is its worst case, not its typical one.
import type { Measurement } from "../workloads/harness.js";
import { figures } from "./report.js";

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function compactRate(value: number): string {
  return value >= 10_000 ? `${Math.round(value / 1000).toLocaleString("en-US")}k` : Math.round(value).toLocaleString("en-US");
}

/** Workload figures: numbers as their median over the rounds that have one, text from the first round. */
function mergedExtra(rounds: readonly Measurement[]): Record<string, number | string> {
  const extra: Record<string, number | string> = {};
  const names = [...new Set(rounds.flatMap((m) => Object.keys(m.extra)))];
  for (const name of names) {
    const numbers = rounds.map((m) => m.extra[name]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    const first = rounds.find((m) => m.extra[name] !== undefined)?.extra[name];
    if (numbers.length > 0) extra[name] = median(numbers);
    else if (first !== undefined) extra[name] = first;
  }
  return extra;
}

const MB = 1024 * 1024;

/**
 * One measurement from a system's successful rounds. The figures are derived from the stored
 * totals (rows/s = rows ÷ seconds …), so the totals are set back from each figure's median.
 */
function merge(rounds: readonly Measurement[], attempted: number): Measurement {
  const first = rounds[0] as Measurement;
  const rows = first.rows;
  const seconds = median(rounds.map((m) => m.seconds));
  const perRun = rounds.map(figures);
  const medianOf = (name: string) => median(perRun.map((f) => f.get(name) as number));
  const rates = perRun.map((f) => f.get("rows/s") as number);
  return {
    system: first.system,
    isPeer: first.isPeer,
    ...(first.variantOf === undefined ? {} : { variantOf: first.variantOf }),
    status: "ok",
    rows,
    seconds,
    bytes: medianOf("MB/s") * MB * seconds,
    cpuSeconds: (medianOf("CPU s / 1M rows") * rows) / 1_000_000,
    peakRssBytes: Math.max(...rounds.map((m) => m.peakRssBytes)),
    extra: {
      runs: rounds.length === attempted ? String(attempted) : `${rounds.length} of ${attempted} (the others failed, see each run)`,
      "rows/s, lowest–highest": `${compactRate(Math.min(...rates))}–${compactRate(Math.max(...rates))}`,
      ...mergedExtra(rounds),
    },
  };
}

/**
 * The rounds of each system (in the order systems first appear) as one measurement: a system
 * measured once is kept as it is; one whose every round failed keeps its first failure.
 */
export function mergeRounds(measurements: readonly Measurement[]): Measurement[] {
  const bySystem = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const list = bySystem.get(m.system);
    if (list) list.push(m);
    else bySystem.set(m.system, [m]);
  }
  return [...bySystem.values()].map((rounds) => {
    if (rounds.length === 1) return rounds[0] as Measurement;
    const ok = rounds.filter((m) => m.status === "ok");
    return ok.length === 0 ? (rounds[0] as Measurement) : merge(ok, rounds.length);
  });
}
