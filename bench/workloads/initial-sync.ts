// Workload 1: copy an existing table (1M rows by default) into Kafka. Ours runs a pipeline
// with initial_sync data = true; Maxwell runs its bootstrap. Timed from the start of the
// copy to the last row acknowledged in Kafka.
import type { SystemUnderTest } from "../systems/system.js";
import { generateLoad } from "./load-generator.js";
import { createBenchTable, settleSource, formatRate, beginWindow, measureInRounds, measureSystem, measurement, NotAvailable, withSession, type BenchContext, type Measurement } from "./harness.js";

const SOURCE_TABLE = "initial_sync_source";

export async function runInitialSync(ctx: BenchContext, systems: SystemUnderTest[]): Promise<Measurement[]> {
  const rows = ctx.rows ?? (ctx.quick ? 20_000 : 1_000_000);
  ctx.log(`initial-sync: loading ${rows.toLocaleString("en-US")} rows into ${ctx.database}.${SOURCE_TABLE}`);
  await createBenchTable(ctx, SOURCE_TABLE);
  await generateLoad(ctx.stack, ctx.database, {
    table: SOURCE_TABLE, rows, rate: 0, batchRows: 1000, connections: 4, firstId: 1,
    onProgress: (n) => ctx.log(`initial-sync: loaded ${n.toLocaleString("en-US")} rows`),
  });
  ctx.log(`initial-sync: the source was quiet ${(await settleSource(ctx)).toFixed(1)} s after the load`);
  return measureInRounds(ctx, systems, (system, round) => measureSystem(ctx, system, () => withSession(ctx, system, "initial-sync", { table: SOURCE_TABLE, initialSync: true, round }, async (session) => {
    const { running, meter, topic } = session;
    await running.prepareInitialSync();
    await beginWindow(ctx, session);
    const started = Date.now();
    await running.startInitialSync();
    const expected = rows + running.initialSyncExtraMessages;
    let firstMessageAt: number | null = null;
    let lastLog = 0;
    const done = await ctx.kafka.waitForCount(topic, expected, ctx.quick ? 300_000 : 3_600_000, (seen) => {
      meter.sample();
      if (seen > 0 && firstMessageAt === null) firstMessageAt = Date.now();
      if (Date.now() - lastLog >= 2000) {
        lastLog = Date.now();
        ctx.log(`initial-sync ${system.label}: ${seen.toLocaleString("en-US")}/${expected.toLocaleString("en-US")} messages`);
      }
    }, () => running.alive());
    if (done === null) {
      if (running.alive()) throw new Error("only part of the table arrived within the time limit");
      const reason = running.exitReason();
      // The runtime refuses initial_sync data = true until the snapshot feature exists.
      throw /not available/i.test(reason) ? new NotAvailable(reason) : new Error(reason);
    }
    const seconds = (done - started) / 1000;
    ctx.log(`initial-sync ${system.label}: ${rows.toLocaleString("en-US")} rows in ${seconds.toFixed(1)} s (${formatRate(rows, seconds)})`);
    return measurement(ctx, system, session, {
      rows, seconds,
      extra: { "first message after s": firstMessageAt === null ? "-" : Number(((firstMessageAt - started) / 1000).toFixed(2)) },
    });
  })));
}
