// Workload 3: commit-to-acknowledgement latency at 1k and 5k rows/s. The generator notes when
// each transaction's COMMIT returned; a Kafka consumer notes when each of its rows became
// readable (the batch marker in the row's label says which transaction it came from).
// The figure includes the consumer's fetch wait (at most 20 ms), the same for every system.
import type { SystemUnderTest } from "../systems/system.js";
import { CommitLog, generateLoad } from "./load-generator.js";
import { beginWindow, measureSystem, measurement, waitUntilStreaming, withSession, type BenchContext, type Measurement } from "./harness.js";

const RATES = [1_000, 5_000];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function runLatency(ctx: BenchContext, systems: SystemUnderTest[]): Promise<Measurement[]> {
  const seconds = ctx.quick ? 5 : 30;
  const results: Measurement[] = [];
  for (const system of systems) {
    results.push(await measureSystem(ctx, system, () => withSession(ctx, system, "latency", {}, async (session) => {
      await waitUntilStreaming(ctx, session);
      const arrivals: Array<{ batch: number; rows: number; at: number }> = [];
      const stopWatching = await ctx.kafka.watchArrivals(session.topic, (batch, rows, at) => arrivals.push({ batch, rows, at }));
      await beginWindow(ctx, session);
      const extra: Record<string, number> = {};
      let firstId = 1;
      let totalRows = 0;
      try {
        for (const rate of RATES) {
          const rows = rate * seconds;
          const log = new CommitLog();
          const base = await ctx.kafka.messageCount(session.topic);
          await generateLoad(ctx.stack, ctx.database, {
            table: session.table, rows, rate, batchRows: Math.max(1, rate / 100), connections: 2, firstId,
            onProgress: (n) => ctx.log(`latency ${system.label} @ ${rate / 1000}k rows/s: committed ${n.toLocaleString("en-US")}/${rows.toLocaleString("en-US")}`),
          }, log);
          firstId += rows;
          totalRows += rows;
          const done = await ctx.kafka.waitForCount(session.topic, base + rows, 120_000, () => session.meter.sample(), () => session.running.alive());
          if (done === null) throw new Error(session.running.alive() ? `rows at ${rate} rows/s did not all arrive within 120 s` : session.running.exitReason());
          await new Promise((resolve) => setTimeout(resolve, 200)); // let the consumer see the last fetch
          const latencies: number[] = [];
          for (const arrival of arrivals) {
            const committedAt = log.byBatch.get(arrival.batch);
            if (committedAt === undefined) continue;
            const latency = Math.max(0, arrival.at - committedAt);
            for (let i = 0; i < arrival.rows; i++) latencies.push(latency);
          }
          latencies.sort((a, b) => a - b);
          extra[`p50 ms @${rate / 1000}k`] = percentile(latencies, 50);
          extra[`p99 ms @${rate / 1000}k`] = percentile(latencies, 99);
          ctx.log(`latency ${system.label} @ ${rate / 1000}k rows/s: p50 ${extra[`p50 ms @${rate / 1000}k`]} ms, p99 ${extra[`p99 ms @${rate / 1000}k`]} ms over ${latencies.length.toLocaleString("en-US")} rows`);
        }
      } finally {
        await stopWatching();
      }
      return measurement(ctx, system, session, { rows: totalRows, seconds: seconds * RATES.length, extra });
    })));
  }
  return results;
}
