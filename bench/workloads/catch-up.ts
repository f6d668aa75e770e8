// Workload 5: catch-up after a backlog. The system streams, is frozen (SIGSTOP, so it keeps its
// connections and position, as a stalled pipeline would), the generator commits 1M rows in
// small transactions, and the system is thawed: the rate at which it then clears the backlog is
// what a pipeline does after a pause, a slow consumer or a restart. Freezing the process rather
// than restarting it keeps start-up costs (a JVM's, a snapshot of schemas) out of the figure.
import type { SystemUnderTest } from "../systems/system.js";
import { generateLoad } from "./load-generator.js";
import { formatRate, beginWindow, measureInRounds, measureSystem, measurement, waitForRows, waitUntilStreaming, withSession, type BenchContext, type Measurement } from "./harness.js";

/** Rows per transaction of the backlog: small OLTP transactions, each with its own commit to follow. */
const BACKLOG_BATCH_ROWS = 100;
/**
 * A frozen reader stops draining its binlog connection, and the server drops a connection it
 * cannot write to for net_write_timeout (60 s by default). The systems would reconnect, but the
 * figure would then include that; the backlog must be written well within it.
 */
const FROZEN_WARNING_S = 45;

export async function runCatchUp(ctx: BenchContext, systems: SystemUnderTest[]): Promise<Measurement[]> {
  const rows = ctx.rows ?? (ctx.quick ? 20_000 : 1_000_000);
  return measureInRounds(ctx, systems, (system, round) => measureSystem(ctx, system, () => withSession(ctx, system, "catch-up", { round }, async (session) => {
    await waitUntilStreaming(ctx, session);
    const pid = session.running.pid;
    process.kill(pid, "SIGSTOP");
    let frozenFor = 0;
    try {
      const frozenAt = Date.now();
      ctx.log(`catch-up ${system.label}: frozen; writing a backlog of ${rows.toLocaleString("en-US")} rows in transactions of ${BACKLOG_BATCH_ROWS}`);
      await generateLoad(ctx.stack, ctx.database, {
        table: session.table, rows, rate: 0, batchRows: BACKLOG_BATCH_ROWS, connections: 4, firstId: 1,
        onProgress: (n) => ctx.log(`catch-up ${system.label}: committed ${n.toLocaleString("en-US")}/${rows.toLocaleString("en-US")}`),
      });
      frozenFor = (Date.now() - frozenAt) / 1000;
      if (frozenFor > FROZEN_WARNING_S) ctx.log(`catch-up ${system.label}: the backlog took ${frozenFor.toFixed(0)} s to write; a binlog connection frozen past net_write_timeout is dropped and the figure includes a reconnect`);
      await beginWindow(ctx, session);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    const thawedAt = Date.now();
    const done = await waitForRows(ctx, session, rows, `catch-up ${system.label}`);
    const seconds = (done - thawedAt) / 1000;
    ctx.log(`catch-up ${system.label}: cleared ${rows.toLocaleString("en-US")} rows in ${seconds.toFixed(2)} s after thawing (${formatRate(rows, seconds)})`);
    return measurement(ctx, system, session, { rows, seconds, extra: { "catch-up s": Number(seconds.toFixed(2)), "backlog written in s": frozenFor.toFixed(1) } });
  })));
}
