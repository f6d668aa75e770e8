// The benchmark, ours beside Maxwell's daemon and Debezium on the local stack, in one command:
//   npx tsx bench/run.ts [--workload NAME] [--rows N] [--repeat N] [--quick] [--built] [--peers LIST] [--delivery LIST] [--tag NAME] [--keep]
// Each workload writes bench/results/<date>-<workload>[-<tag>].md; progress goes to stderr.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot, stackConfig } from "../scripts/stack/config.js";
import { KafkaReferee } from "./lib/kafka.js";
import { describeMachine, describeStackData } from "./lib/machine.js";
import { settlePageCache } from "./lib/page-cache.js";
import { figureTable, resultTable } from "./lib/report.js";
import { mergeRounds } from "./lib/rounds.js";
import { loadStack, rootConnection, type BenchStack } from "./lib/stack.js";
import { choosePeers, peerSystem, type PeerName } from "./peer/peers.js";
import { chooseDeliveries, ourSystem, type OurEntry } from "./systems/ours.js";
import type { Delivery, SystemUnderTest } from "./systems/system.js";
import type { BenchContext, Measurement } from "./workloads/harness.js";
import { runBigTransaction } from "./workloads/big-transaction.js";
import { runCatchUp } from "./workloads/catch-up.js";
import { runInitialSync } from "./workloads/initial-sync.js";
import { runLatency } from "./workloads/latency.js";
import { runStreaming, type StepResult } from "./workloads/streaming.js";
import { SOURCE_ENGINES, type SourceEngine } from "./workloads/bench-table.js";

const USAGE = `Usage: npx tsx bench/run.ts [--workload NAME] [--rows N] [--repeat N] [--quick] [--built] [--peers LIST] [--delivery LIST] [--source-engine NAME] [--tag NAME] [--keep]

Workloads: initial-sync, streaming, latency, big-transaction, catch-up (default: all, in that order).
  --rows N     rows for initial-sync (1M), the flat-out streaming step (500k), big-transaction (100k),
               catch-up (1M)
  --repeat N   initial-sync and catch-up: run the systems in turn N times (A B A B …) and report
               each figure's median over the runs, with every run listed below (default 1)
  --quick      small sizes (20k rows, 1-5 s steps) to check the harness in a few minutes
  --built      run our pipelines through bin/dts.js (after \`npm run build\`) instead of through tsx
  --peers LIST the peers to run beside ours, comma-separated: maxwell, debezium (JSON),
               debezium-avro (needs DTS_STACK_SCHEMA_REGISTRY=1 npm run stack:up);
               default maxwell,debezium; --peers none (or --skip-peer) measures only dts-kafka
  --delivery LIST  our delivery modes, comma-separated: at-least-once (the default), exactly-once;
               each runs as its own system, with exactly-once ÷ at-least-once ratios
  --source-engine NAME  the engine of the tables the workloads write: innodb (the default) or
               blackhole, which stores nothing but writes the same binlog, so a source sharing the
               two cores can drive the stream faster (not for initial-sync, which needs rows)
  --tag NAME   append -NAME to the result files' names, so a run keeps earlier results of the day
  --keep       keep the bench database, topics and work folder for inspection
Needs the local stack (npm run stack:up), Java 17 and Maven for the peers.`;

/** Long enough for the JVM to compile the broker's produce path (440k-490k messages here). */
const BROKER_WARM_UP_SECONDS = 5;

/** Rounds cost minutes each with the peers (Debezium's snapshot alone takes ~20 s plus its JVM). */
const MAX_ROUNDS = 9;

const WORKLOADS = ["initial-sync", "streaming", "latency", "big-transaction", "catch-up"] as const;
type Workload = (typeof WORKLOADS)[number];

const DESCRIPTIONS: Record<Workload, string> = {
  "initial-sync": "Initial sync of an existing 10-column table: ours with `initial_sync { data = true }`, Maxwell with its bootstrap, Debezium with its initial snapshot (snapshot.mode=initial). Timed from the start of the copy (ours: process start; Maxwell: bootstrap request; Debezium: connector created in a running worker) to the last row acknowledged by Kafka.",
  streaming: "Sustained binlog streaming at 5k, 10k, 20k, 40k and 60k rows/s (with a BLACKHOLE source also 80k and 100k), then flat out (multi-row INSERTs over 4 connections). rows/s and MB/s are averages over all steps; \"highest flat\" is the highest step whose delay stayed flat.",
  latency: "Commit-to-acknowledgement latency: COMMIT returned at the generator → row readable by a Kafka consumer (read_committed), at 1k and 5k rows/s.",
  "big-transaction": "One transaction of many rows: peak RSS of the process and catch-up time from COMMIT to the last row in Kafka.",
  "catch-up": "Catch-up after a backlog: the streaming system is frozen (SIGSTOP), a backlog of rows (1M unless --rows says otherwise) is committed in transactions of 100 rows, and the system is thawed (SIGCONT). Timed from the thaw to the last row acknowledged by Kafka; CPU is metered from the thaw.",
};

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

interface Options {
  workloads: Workload[];
  rows: number | null;
  rounds: number;
  quick: boolean;
  entry: OurEntry;
  peers: PeerName[];
  deliveries: Delivery[];
  tag: string | undefined;
  keep: boolean;
  sourceEngine: SourceEngine;
}

/** The options, or the exit code when there is nothing to run (help, or a wrong option, said on stderr). */
function parseOptions(): Options | number {
  const { values } = parseArgs({
    options: {
      built: { type: "boolean" }, workload: { type: "string" }, rows: { type: "string" }, repeat: { type: "string" }, quick: { type: "boolean" }, peers: { type: "string" },
      delivery: { type: "string" }, "source-engine": { type: "string" }, "skip-peer": { type: "boolean" }, tag: { type: "string" }, keep: { type: "boolean" }, help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const refuse = (message: string): number => {
    process.stderr.write(`bench: ${message}\n`);
    return 2;
  };
  if (values.workload !== undefined && !WORKLOADS.includes(values.workload as Workload)) return refuse(`unknown workload "${values.workload}"; choose one of ${WORKLOADS.join(", ")}`);
  const rows = values.rows === undefined ? null : Number(values.rows);
  if (rows !== null && (!Number.isInteger(rows) || rows <= 0)) return refuse(`--rows must be a positive whole number, not "${values.rows}"`);
  const rounds = values.repeat === undefined ? 1 : Number(values.repeat);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) return refuse(`--repeat takes a whole number from 1 to ${MAX_ROUNDS}, not "${values.repeat}"`);
  if (rounds > 1 && !(values.workload === "initial-sync" || values.workload === "catch-up")) return refuse("--repeat is for --workload initial-sync or --workload catch-up, whose result is one figure per run");
  const peers = choosePeers(values.peers, values["skip-peer"] ?? false);
  if (typeof peers === "string") return refuse(peers);
  const deliveries = chooseDeliveries(values.delivery);
  if (typeof deliveries === "string") return refuse(deliveries);
  if (values.tag !== undefined && !/^[a-z0-9-]+$/.test(values.tag)) return refuse(`--tag takes lowercase letters, digits and dashes, not "${values.tag}"`);
  const sourceEngine = (values["source-engine"] ?? "innodb") as SourceEngine;
  if (!SOURCE_ENGINES.includes(sourceEngine)) return refuse(`unknown --source-engine "${sourceEngine}"; choose ${SOURCE_ENGINES.join(" or ")}`);
  const workloads = values.workload ? [values.workload as Workload] : WORKLOADS.filter((w) => sourceEngine === "innodb" || w !== "initial-sync");
  if (sourceEngine === "blackhole" && workloads.includes("initial-sync")) return refuse("a BLACKHOLE table stores no rows, so initial-sync has nothing to copy; run it with --source-engine innodb");
  return {
    workloads, rows, rounds, quick: values.quick ?? false,
    entry: values.built ? "built" : "tsx", peers, deliveries, tag: values.tag, keep: values.keep ?? false, sourceEngine,
  };
}

/** Ours in each format and delivery mode (format by format, so each variant sits beside its base), then the peers. */
function systemsToRun(stack: BenchStack, options: Options): SystemUnderTest[] {
  const systems = (["dts-avro", "canal-json"] as const).flatMap((format) => options.deliveries.map((delivery) => ourSystem(stack, format, options.entry, delivery)));
  return [...systems, ...options.peers.map((peer) => peerSystem(peer, stack))];
}

async function runWorkload(ctx: BenchContext, workload: Workload, systems: SystemUnderTest[]): Promise<{ measurements: Measurement[]; steps: Map<string, StepResult[]> | null }> {
  if (workload === "initial-sync") return { measurements: await runInitialSync(ctx, systems), steps: null };
  if (workload === "streaming") return runStreaming(ctx, systems);
  if (workload === "latency") return { measurements: await runLatency(ctx, systems), steps: null };
  if (workload === "catch-up") return { measurements: await runCatchUp(ctx, systems), steps: null };
  return { measurements: await runBigTransaction(ctx, systems), steps: null };
}

async function main(): Promise<number> {
  const options = parseOptions();
  if (typeof options === "number") return options;
  const stack = loadStack();
  const kafka = await KafkaReferee.connect(stack);
  const runId = `${Date.now().toString(36)}`;
  const database = `bench_${runId}`;
  const workDir = mkdtempSync(join(tmpdir(), "dts-bench-"));
  const root = await rootConnection(stack).catch((error: Error) => {
    throw new Error(`cannot connect to MariaDB at ${stack.mysqlHost}:${stack.mysqlPort} as ${stack.rootUser} (${error.message}); is the stack running? \`npm run stack:status\``);
  });
  const [versionRows] = await root.query("SELECT VERSION() AS v");
  const mariadbVersion = String((versionRows as Array<{ v: string }>)[0]?.v ?? "unknown");
  await root.query(`CREATE DATABASE ${database}`);
  const pageCache = settlePageCache();
  const ctx: BenchContext = { stack, kafka, runId, database, workDir, quick: options.quick, rows: options.rows, partitions: 1, sourceEngine: options.sourceEngine, rounds: options.rounds, log };
  const systems = systemsToRun(stack, options);
  const engine = options.sourceEngine === "blackhole" ? ["- Source tables: ENGINE=BLACKHOLE (rows go to the binlog only; our precheck's table-engines check is skipped for them)"] : [];
  const machine = [...describeMachine(mariadbVersion, stack.kafkaVersion), ...describeStackData(stackConfig().stateDir, log), `- Page cache: ${pageCache}`, ...engine, `- Our pipelines run ${options.entry === "built" ? "through bin/dts.js on dist/ (npm run build) with plain node" : "from src/ through the tsx loader"}, one child process per system and workload`];
  const stackDir = process.env.DTS_STACK_DIR ? `DTS_STACK_DIR=${process.env.DTS_STACK_DIR} ` : "";
  const command = `${stackDir}npx tsx bench/run.ts ${process.argv.slice(2).join(" ")}`.trim();
  log(`run ${runId}: database ${database}, work folder ${workDir}`);
  try {
    const warmUp = await kafka.warmUpBroker(`bench.${runId}.warm-up`, BROKER_WARM_UP_SECONDS);
    log(`warmed the broker up with ${warmUp.toLocaleString("en-US")} messages`);
    machine.push(`- Kafka warmed up before the run: ${warmUp.toLocaleString("en-US")} messages of 512 bytes in ${BROKER_WARM_UP_SECONDS} s`);
    for (const workload of options.workloads) {
      log(`=== ${workload} ===`);
      const { measurements: runs, steps } = await runWorkload(ctx, workload, systems);
      const measurements = mergeRounds(runs);
      const file = writeResult(workload, options.tag, { measurements, runs: ctx.rounds > 1 ? runs : null }, steps, machine, command, ctx.quick);
      log(`${workload}: results in ${relative(repoRoot, file)}`);
      process.stdout.write(`\n## ${workload}\n\n${resultTable(measurements).join("\n")}\n`);
    }
  } finally {
    if (!options.keep) {
      await root.query(`DROP DATABASE IF EXISTS ${database}`);
      for (const system of systems) await system.cleanUp?.();
      rmSync(workDir, { recursive: true, force: true });
    }
    await root.end();
    await kafka.close(options.keep);
  }
  return 0;
}

function stepTable(steps: Map<string, StepResult[]>): string[] {
  const lines = ["| system | target rows/s | source rows/s | delivered rows/s | max delay ms | end delay ms | CPU s / 1M rows | flat |", "|---|---|---|---|---|---|---|---|"];
  for (const [system, results] of steps) {
    for (const r of results) {
      lines.push(`| ${system} | ${r.target === 0 ? "flat out" : r.target.toLocaleString("en-US")} | ${Math.round(r.sourceRate).toLocaleString("en-US")} | ${Math.round(r.deliveredRate).toLocaleString("en-US")} | ${r.maxDelayMs} | ${r.endDelayMs} | ${r.cpuPerMillionRows === null ? "-" : r.cpuPerMillionRows.toFixed(1)} | ${r.verdict} |`);
    }
  }
  return lines;
}

/** The figures (one row per system, rounds folded), and each round's when there were several. */
interface Results {
  measurements: Measurement[];
  runs: Measurement[] | null;
}

function writeResult(workload: Workload, tag: string | undefined, { measurements, runs }: Results, steps: Map<string, StepResult[]> | null, machine: string[], command: string, quick: boolean): string {
  const now = new Date();
  const dir = join(repoRoot, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${now.toISOString().slice(0, 10)}${quick ? "-quick" : ""}-${workload}${tag ? `-${tag}` : ""}.md`);
  const text = [
    `# ${workload}${quick ? " (quick sizes: a harness check, not a benchmark)" : ""}`,
    "",
    DESCRIPTIONS[workload],
    "",
    `Run at ${now.toISOString()} with \`${command}\`. Kafka acks=all for every system; one topic partition each.`,
    "",
    "Machine:",
    ...machine,
    "",
    ...(runs ? ["Each figure is the median of the runs, the systems in turn round after round (peak RSS: the highest of them); every run is listed below.", ""] : []),
    ...resultTable(measurements),
    ...(runs ? ["", "Each run, in the order run:", "", ...figureTable(runs)] : []),
    ...(steps ? ["", "Steps:", "", ...stepTable(steps)] : []),
    "",
    "CPU is utime+stime of the system's own process inside the measured window (/proc/<pid>/stat);",
    "peak RSS is VmHWM of that process (a fresh one per workload); MB/s counts the key and value",
    "bytes of the measured messages, read back from Kafka after the system stopped.",
    ...(measurements.some((m) => m.variantOf !== undefined) ? [
      "With exactly-once delivery a row counts as delivered once its Kafka transaction committed:",
      "the harness counts the records a read_committed consumer can read (from the record batch",
      "headers), since end offsets also count one commit marker per partition per commit.",
    ] : []),
    "",
  ].join("\n");
  writeFileSync(file, text);
  return file;
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  return 1;
});
