// What every workload does around a system under test: a fresh table and topic, the system
// started and metered, a probe row to know it is streaming, and the result record.
import { join } from "node:path";
import type { KafkaReferee } from "../lib/kafka.js";
import { ProcessMeter } from "../lib/process-meter.js";
import { waitForQuietSource } from "../lib/source-settle.js";
import { rootConnection, serverProcesses, type BenchStack } from "../lib/stack.js";
import type { RunningSystem, SystemUnderTest } from "../systems/system.js";
import { createTableSql, insertSql, type SourceEngine } from "./bench-table.js";

export interface BenchContext {
  stack: BenchStack;
  kafka: KafkaReferee;
  /** Unique per run: names the database, topics and work folders. */
  runId: string;
  database: string;
  workDir: string;
  quick: boolean;
  /** Row count asked for with --rows (each workload has its own default). */
  rows: number | null;
  partitions: number;
  /** The engine of the tables the workloads write (--source-engine). */
  sourceEngine: SourceEngine;
  /** Rounds of the systems in turn (--repeat; initial-sync and catch-up), folded by mergeRounds. */
  rounds: number;
  log: (message: string) => void;
}

export interface Measurement {
  system: string;
  isPeer: boolean;
  /** The system this one is a variant of (see SystemUnderTest.variantOf). */
  variantOf?: string;
  /** "ok", or why there is no figure. */
  status: "ok" | "unavailable" | "failed";
  reason?: string;
  rows: number;
  seconds: number;
  bytes: number;
  cpuSeconds: number;
  peakRssBytes: number;
  /** Workload-specific figures, shown as extra columns (numbers are ratio-compared too). */
  extra: Record<string, number | string>;
  /** The measured window's messages, counted into `bytes` once the system has stopped. */
  window?: { topic: string; from: Map<number, number>; to: Map<number, number> };
}

/** Thrown when a system refuses a workload it does not support yet (reported, not failed). */
export class NotAvailable extends Error {}

function variantOf(system: SystemUnderTest): Pick<Measurement, "variantOf"> {
  return system.variantOf === undefined ? {} : { variantOf: system.variantOf };
}

export function failedMeasurement(system: SystemUnderTest, status: "unavailable" | "failed", reason: string): Measurement {
  return { system: system.label, isPeer: system.isPeer, ...variantOf(system), status, reason, rows: 0, seconds: 0, bytes: 0, cpuSeconds: 0, peakRssBytes: 0, extra: {} };
}

/** MariaDB ships BLACKHOLE as a plugin that is not loaded by default. */
async function ensureBlackhole(conn: Awaited<ReturnType<typeof rootConnection>>): Promise<void> {
  const [engines] = await conn.query("SELECT SUPPORT FROM information_schema.ENGINES WHERE ENGINE = 'BLACKHOLE'");
  if ((engines as unknown[]).length === 0) await conn.query("INSTALL SONAME 'ha_blackhole'");
}

export async function createBenchTable(ctx: BenchContext, table: string): Promise<void> {
  const conn = await rootConnection(ctx.stack, ctx.database);
  try {
    await conn.query(`DROP TABLE IF EXISTS ${table}`);
    if (ctx.sourceEngine === "blackhole") await ensureBlackhole(conn);
    await conn.query(createTableSql(table, ctx.sourceEngine));
  } finally {
    await conn.end();
  }
}

/** Waits until InnoDB finished the background work a load left (bench/lib/source-settle.ts); returns the seconds waited. */
export async function settleSource(ctx: BenchContext): Promise<number> {
  const conn = await rootConnection(ctx.stack);
  try {
    return await waitForQuietSource(conn, ctx.log);
  } finally {
    await conn.end();
  }
}

/** Far above the ids workloads write, so probe rows never collide with measured rows. */
const PROBE_FIRST_ID = 9_000_000_000;

export interface Session {
  running: RunningSystem;
  meter: ProcessMeter;
  /** MariaDB and Kafka, metered over the same window as the system. */
  servers: { name: string; meter: ProcessMeter }[];
  topic: string;
  table: string;
  /** Messages in the topic before the measured part began. */
  baseline: number;
  /** End offsets when the measured window began. */
  windowStart: Map<number, number>;
}

export interface SessionOptions {
  /** A table the workload prepared (default: a fresh one per system). */
  table?: string;
  initialSync?: boolean;
  /** Which of the --repeat rounds (from 1): later rounds get a topic and work folder of their own. */
  round?: number;
}

export async function startSession(ctx: BenchContext, system: SystemUnderTest, workload: string, options: SessionOptions = {}): Promise<Session> {
  const table = options.table ?? `${workload.replaceAll("-", "_")}_${system.key}`;
  const round = options.round ?? 1;
  const again = round > 1 ? `-r${round}` : "";
  const topic = `bench.${ctx.runId}.${workload}.${system.key}${again}`;
  const exactlyOnce = system.delivery === "exactly-once";
  const checkpointTopic = exactlyOnce ? `${topic}.checkpoints` : null;
  if (!options.table) await createBenchTable(ctx, table);
  await ctx.kafka.createTopic(topic, ctx.partitions, { transactional: exactlyOnce });
  if (checkpointTopic) await ctx.kafka.createTopic(checkpointTopic, 1, { compacted: true });
  const running = await system.start({
    database: ctx.database, table, topic, checkpointTopic, initialSync: options.initialSync ?? false, sourceEngine: ctx.sourceEngine,
    workDir: join(ctx.workDir, `${workload}-${system.key}${again}`), log: ctx.log,
  });
  const meter = new ProcessMeter(running.pid);
  const servers = serverProcesses().map(({ name, pid }) => ({ name, meter: new ProcessMeter(pid) }));
  return { running, meter, servers, topic, table, baseline: 0, windowStart: new Map() };
}

/**
 * Inserts probe rows (ids from PROBE_FIRST_ID up) every 2 s until one is in Kafka: the system is then
 * streaming. A system starting "from now" misses probes written before it found the binlog end.
 */
export async function waitUntilStreaming(ctx: BenchContext, session: Session): Promise<void> {
  const conn = await rootConnection(ctx.stack, ctx.database);
  const deadline = Date.now() + 120_000;
  try {
    for (let probe = PROBE_FIRST_ID; ; probe++) {
      if (!session.running.alive()) throw new Error(session.running.exitReason());
      if (Date.now() > deadline) throw new Error("no probe row reached Kafka within 120 s of starting the system");
      await conn.query(insertSql(session.table, probe, 1, 0));
      if ((await ctx.kafka.waitForCount(session.topic, 1, 2000, undefined, () => session.running.alive())) !== null) break;
    }
  } finally {
    await conn.end();
  }
  // Later probes may still be on their way; the baseline counts them once they have settled.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  session.baseline = await ctx.kafka.messageCount(session.topic);
}

/**
 * Waits until `rows` messages past the baseline are in Kafka, sampling the meter and logging
 * progress every 2 s; returns when the last arrived, or throws why it did not.
 */
export async function waitForRows(ctx: BenchContext, session: Session, rows: number, label: string): Promise<number> {
  let lastLog = 0;
  const done = await ctx.kafka.waitForCount(session.topic, session.baseline + rows, ctx.quick ? 120_000 : 600_000, (seen) => {
    session.meter.sample();
    if (Date.now() - lastLog >= 2000) {
      lastLog = Date.now();
      ctx.log(`${label}: ${(seen - session.baseline).toLocaleString("en-US")}/${rows.toLocaleString("en-US")} rows in Kafka`);
    }
  }, () => session.running.alive());
  if (done === null) throw new Error(session.running.alive() ? `not all ${rows.toLocaleString("en-US")} rows arrived in time` : session.running.exitReason());
  return done;
}

/** Starts the measured window: CPU from now, and the messages written from now. */
export async function beginWindow(ctx: BenchContext, session: Session): Promise<void> {
  session.windowStart = await ctx.kafka.endOffsets(session.topic);
  session.meter.begin();
  for (const server of session.servers) server.meter.begin();
}

/**
 * CPU the servers spent in the window per 1M rows, and the sum with the system's own: on a
 * machine whose cores all three share, that sum is what bounds the rate. (Kafka's figure includes
 * the benchmark's own reads, the same for every system.)
 */
function serverFigures(session: Session, rows: number): Record<string, number> {
  const perMillion = (seconds: number) => (rows > 0 ? (seconds / rows) * 1_000_000 : Number.NaN);
  const figures: Record<string, number> = {};
  let total = session.meter.cpuSeconds;
  for (const { name, meter } of session.servers) {
    meter.sample();
    figures[`${name} CPU s / 1M rows`] = perMillion(meter.cpuSeconds);
    total += meter.cpuSeconds;
  }
  if (session.servers.length > 0) figures["CPU s / 1M rows, all"] = perMillion(total);
  return figures;
}

export async function measurement(ctx: BenchContext, system: SystemUnderTest, session: Session, figures: { rows: number; seconds: number; extra?: Record<string, number | string> }): Promise<Measurement> {
  session.meter.sample();
  return {
    system: system.label, isPeer: system.isPeer, ...variantOf(system), status: "ok", rows: figures.rows, seconds: figures.seconds, bytes: 0,
    cpuSeconds: session.meter.cpuSeconds, peakRssBytes: session.meter.peakRssBytes, extra: { ...figures.extra, ...serverFigures(session, figures.rows) },
    window: { topic: session.topic, from: session.windowStart, to: await ctx.kafka.endOffsets(session.topic) },
  };
}

/**
 * A transactional topic has one commit marker per commit (one partition here) at an offset of
 * its own: the offsets the window spans less the messages in it count the commits.
 */
function commitFigures(result: Measurement, messages: number): Record<string, number> {
  const window = result.window as NonNullable<Measurement["window"]>;
  const offsets = [...window.to].reduce((sum, [partition, end]) => sum + end - (window.from.get(partition) ?? 0), 0);
  const commits = offsets - messages;
  return { "Kafka commits": commits, "rows per commit": commits > 0 ? Math.round(result.rows / commits) : Number.NaN };
}

/** Runs one system through a workload body, turning its failures into a reported row. */
export async function measureSystem(ctx: BenchContext, system: SystemUnderTest, body: () => Promise<Measurement>): Promise<Measurement> {
  const reason = await system.unavailable();
  if (reason) {
    ctx.log(`${system.label}: unavailable (${reason})`);
    return failedMeasurement(system, "unavailable", reason);
  }
  try {
    const result = await body();
    if (result.window) {
      ctx.log(`${system.label}: reading the measured messages back to count their bytes`);
      const read = await ctx.kafka.payloadBytes(result.window.topic, result.window.from, result.window.to);
      result.bytes = read.bytes;
      if (system.delivery === "exactly-once") Object.assign(result.extra, commitFigures(result, read.messages));
    }
    return result;
  } catch (error) {
    const message = (error as Error).message;
    const status = error instanceof NotAvailable ? "unavailable" : "failed";
    ctx.log(`${system.label}: ${status === "failed" ? "failed" : "not available"} (${message})`);
    return failedMeasurement(system, status, message);
  }
}

/**
 * Each system through `measure`, round after round (A B A B …; bench/lib/rounds.ts folds the
 * rounds). A later round starts each system from a clean slate, as the first did.
 */
export async function measureInRounds(ctx: BenchContext, systems: readonly SystemUnderTest[], measure: (system: SystemUnderTest, round: number) => Promise<Measurement>): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (let round = 1; round <= ctx.rounds; round++) {
    if (ctx.rounds > 1) ctx.log(`--- round ${round} of ${ctx.rounds} ---`);
    for (const system of systems) {
      if (round > 1) await system.cleanUp?.();
      results.push(await measure(system, round));
    }
  }
  return results;
}

/** Starts a session, runs fn, and always stops the system (after a last meter sample). */
export async function withSession<T>(ctx: BenchContext, system: SystemUnderTest, workload: string, options: SessionOptions, fn: (session: Session) => Promise<T>): Promise<T> {
  const session = await startSession(ctx, system, workload, options);
  try {
    return await fn(session);
  } finally {
    session.meter.sample();
    await session.running.stop();
  }
}

export function formatRate(rows: number, seconds: number): string {
  return seconds > 0 ? `${Math.round(rows / seconds).toLocaleString("en-US")} rows/s` : "-";
}
