// Workload 4: one transaction of 100k rows. Peak memory shows whether a system holds a whole
// transaction before sending it; catch-up is the time from COMMIT returning to the last row
// acknowledged in Kafka.
import type { SystemUnderTest } from "../systems/system.js";
import { oneBigTransaction } from "./load-generator.js";
import { formatRate, beginWindow, measureSystem, measurement, waitForRows, waitUntilStreaming, withSession, type BenchContext, type Measurement } from "./harness.js";

export async function runBigTransaction(ctx: BenchContext, systems: SystemUnderTest[]): Promise<Measurement[]> {
  const rows = ctx.rows ?? (ctx.quick ? 20_000 : 100_000);
  const results: Measurement[] = [];
  for (const system of systems) {
    results.push(await measureSystem(ctx, system, () => withSession(ctx, system, "big-transaction", {}, async (session) => {
      await waitUntilStreaming(ctx, session);
      await beginWindow(ctx, session);
      ctx.log(`big-transaction ${system.label}: writing ${rows.toLocaleString("en-US")} rows in one transaction`);
      const committedAt = await oneBigTransaction(ctx.stack, ctx.database, session.table, rows, 1);
      const done = await waitForRows(ctx, session, rows, `big-transaction ${system.label}`);
      const seconds = (done - committedAt) / 1000;
      ctx.log(`big-transaction ${system.label}: caught up ${seconds.toFixed(2)} s after COMMIT (${formatRate(rows, seconds)})`);
      return measurement(ctx, system, session, { rows, seconds, extra: { "catch-up s": Number(seconds.toFixed(2)) } });
    })));
  }
  return results;
}
