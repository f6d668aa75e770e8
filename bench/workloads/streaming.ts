// Workload 2: sustained binlog streaming at 5k to 60k rows/s (to 100k with a BLACKHOLE
// source), then flat out.
// While each step runs, the delay is sampled: how long ago the source committed the oldest
// row not yet acknowledged in Kafka. A step is "flat" when the source kept 90% of the target,
// delivery kept 90% of it, and the delay at the end is no worse than at the start (within 1 s).
import type { SystemUnderTest } from "../systems/system.js";
import { CommitLog, generateLoad } from "./load-generator.js";
import { formatRate, beginWindow, measureSystem, measurement, waitUntilStreaming, withSession, type BenchContext, type Measurement, type Session } from "./harness.js";

// The steps issue 8 names, 60k (the streaming target), then flat out (0). A BLACKHOLE source
// reaches past 100k rows/s, so it adds the steps up to issue 17's target of 100k.
const STEPS = [5_000, 10_000, 20_000, 40_000, 60_000, 0];
const BLACKHOLE_STEPS = [5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 100_000, 0];
const FLAT_TOLERANCE_MS = 1000;

export interface StepResult {
  target: number;
  rows: number;
  sourceRate: number;
  deliveredRate: number;
  maxDelayMs: number;
  endDelayMs: number;
  flat: boolean;
  /** CPU seconds of the system's process per million rows of this step (the cost curve), null when unknown. */
  cpuPerMillionRows: number | null;
  /** Why a step is not flat: the source fell short of the target, delivery lagged, or the delay grew. */
  verdict: string;
}

function delayNow(log: CommitLog, delivered: number): number {
  if (delivered >= log.committed) return 0;
  const committedAt = log.timeOfRow(delivered + 1);
  return committedAt === null ? 0 : Date.now() - committedAt;
}

/** A step is flat when the source kept the rate and delivery kept up with it without the delay growing. */
function judge(target: number, sourceRate: number, deliveredRate: number, startDelay: number, endDelay: number): { flat: boolean; verdict: string } {
  if (target > 0 && sourceRate < 0.9 * target) return { flat: false, verdict: "no: source fell short of the target" };
  // Flat out, the target is whatever the source managed.
  if (deliveredRate < 0.9 * (target > 0 ? target : sourceRate)) return { flat: false, verdict: "no: delivery fell behind" };
  if (endDelay > startDelay + FLAT_TOLERANCE_MS) return { flat: false, verdict: "no: delay grew" };
  return { flat: true, verdict: "yes" };
}

async function runStep(ctx: BenchContext, session: Session, target: number, firstId: number, stepRows: number, label: string): Promise<StepResult> {
  const log = new CommitLog();
  const base = await ctx.kafka.messageCount(session.topic);
  const samples: Array<{ at: number; delay: number }> = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const delivered = (await ctx.kafka.messageCount(session.topic)) - base;
      samples.push({ at: Date.now(), delay: delayNow(log, delivered) });
      session.meter.sample();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  session.meter.sample();
  const cpuBefore = session.meter.cpuSeconds;
  const started = Date.now();
  await generateLoad(ctx.stack, ctx.database, {
    table: session.table, rows: stepRows, rate: target, batchRows: target === 0 ? 500 : Math.max(10, Math.round(target / 100)),
    connections: 4, firstId,
    onProgress: (n) => ctx.log(`streaming ${label} @ ${target === 0 ? "flat out" : `${target / 1000}k rows/s`}: committed ${n.toLocaleString("en-US")}/${stepRows.toLocaleString("en-US")}, delay ${samples.at(-1)?.delay ?? 0} ms`),
  }, log);
  const generatedFor = (Date.now() - started) / 1000;
  const doneAt = await ctx.kafka.waitForCount(session.topic, base + stepRows, ctx.quick ? 120_000 : 600_000, undefined, () => session.running.alive());
  sampling = false;
  await sampler;
  const cpuAfter = session.meter.sample() ? session.meter.cpuSeconds : null;
  if (doneAt === null) throw new Error(session.running.alive() ? `did not catch up with the ${target || "flat-out"} step in time` : session.running.exitReason());
  const during = samples.filter((s) => s.at <= started + generatedFor * 1000);
  const third = Math.max(1, Math.floor(during.length / 3));
  const maxOf = (list: typeof samples) => list.reduce((m, s) => Math.max(m, s.delay), 0);
  const startDelay = maxOf(during.slice(0, third));
  const endDelay = maxOf(during.slice(-third));
  const sourceRate = stepRows / generatedFor;
  const firstCommit = log.records[0]?.committedAt ?? started;
  const deliveredRate = stepRows / Math.max(0.001, (doneAt - firstCommit) / 1000);
  return {
    target, rows: stepRows, sourceRate, deliveredRate,
    maxDelayMs: maxOf(samples), endDelayMs: endDelay,
    cpuPerMillionRows: cpuAfter === null ? null : ((cpuAfter - cpuBefore) / stepRows) * 1e6,
    ...judge(target, sourceRate, deliveredRate, startDelay, endDelay),
  };
}

export async function runStreaming(ctx: BenchContext, systems: SystemUnderTest[]): Promise<{ measurements: Measurement[]; steps: Map<string, StepResult[]> }> {
  const stepSeconds = ctx.quick ? 1 : 30;
  const flatOutRows = ctx.rows ?? (ctx.quick ? 20_000 : 500_000);
  const steps = new Map<string, StepResult[]>();
  const measurements: Measurement[] = [];
  for (const system of systems) {
    measurements.push(await measureSystem(ctx, system, () => withSession(ctx, system, "streaming", {}, async (session) => {
      await waitUntilStreaming(ctx, session);
      await beginWindow(ctx, session);
      const results: StepResult[] = [];
      let firstId = 1;
      let activeSeconds = 0;
      for (const target of ctx.sourceEngine === "blackhole" ? BLACKHOLE_STEPS : STEPS) {
        const stepRows = target === 0 ? flatOutRows : target * stepSeconds;
        const result = await runStep(ctx, session, target, firstId, stepRows, system.label);
        firstId += stepRows;
        activeSeconds += stepRows / result.deliveredRate;
        results.push(result);
        ctx.log(`streaming ${system.label} @ ${target === 0 ? "flat out" : `${target / 1000}k rows/s`}: source ${formatRate(stepRows, stepRows / result.sourceRate)}, delivered ${formatRate(stepRows, stepRows / result.deliveredRate)}, max delay ${result.maxDelayMs} ms, flat: ${result.verdict}`);
      }
      steps.set(system.label, results);
      const best = results.filter((r) => r.flat).reduce((m, r) => Math.max(m, r.target === 0 ? r.deliveredRate : r.target), 0);
      const rows = results.reduce((sum, r) => sum + r.rows, 0);
      const flatOut = results.at(-1) as StepResult;
      return measurement(ctx, system, session, {
        rows, seconds: activeSeconds,
        extra: { "highest flat rows/s": Math.round(best), "flat-out delivered rows/s": Math.round(flatOut.deliveredRate), "flat-out max delay ms": flatOut.maxDelayMs },
      });
    })));
  }
  return { measurements, steps };
}
