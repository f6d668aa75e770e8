// Initial sync of a large table: peak resident memory of the runtime process and rows/s.
//   npx tsx bench/snapshot-memory.ts [--rows 1000000] [--chunk 10000] [--parallelism 1] [--heap MiB] [--keep]
// Creates <rows> rows (~120 bytes each) with MariaDB's SEQUENCE engine, runs the runtime in a
// child process with an initial sync into a fresh topic (DTS Avro), samples the child's VmHWM
// from /proc, and reports when the status file says the snapshot is over. `--heap` caps the
// child's V8 old space: finishing under a small cap shows the memory is bounded, not just
// garbage collected late. Needs the local stack.
import { parseArgs } from "node:util";
import { sampleProcess } from "./lib/process-meter.js";
import { exportStackEnv, readStatus, rootConnection, rule, uniqueName } from "../test/integration/runtime-helpers.js";
import { snapshotPlan, spawnRuntime } from "../test/integration/snapshot-helpers.js";

const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, chunk: { type: "string", default: "10000" }, parallelism: { type: "string", default: "1" }, heap: { type: "string" }, keep: { type: "boolean", default: false } } });
const rows = Number(values.rows);
exportStackEnv();
const db = await rootConnection();
const database = uniqueName("bench_snap");
await db.query(`CREATE DATABASE ${database}`);
await db.query(`CREATE TABLE ${database}.big (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, amount DECIMAL(12,2) NOT NULL, created DATETIME(3) NOT NULL, flag TINYINT NOT NULL)`);
process.stderr.write(`filling ${rows} rows…\n`);
await db.query(`INSERT INTO ${database}.big SELECT seq, CONCAT('customer name number ', seq), seq / 7, '2024-01-01 00:00:00' + INTERVAL seq SECOND, seq % 2 FROM ${database}.seq_1_to_${rows}`);
await db.query(`ANALYZE TABLE ${database}.big`);

const topic = uniqueName("bench-snap");
const plan = snapshotPlan(uniqueName("bench"), topic, [rule(database, "big")], { schema: true, chunkSize: Number(values.chunk), parallelism: Number(values.parallelism) });
const child = spawnRuntime(plan, { DTS_LOG_LEVEL: "info", ...(values.heap ? { NODE_OPTIONS: `--max-old-space-size=${Number(values.heap)}` } : {}) });
const pid = child.process.pid as number;
let peak = 0;
let startedAt = 0;
let finishedAt = 0;
while (finishedAt === 0) {
  await new Promise((r) => setTimeout(r, 200));
  const sample = sampleProcess(pid);
  if (sample) peak = Math.max(peak, sample.peakRssBytes);
  const status = readStatus(child.stateDir);
  if (status?.phase === "snapshotting" && startedAt === 0) startedAt = Date.now();
  if (status?.phase === "streaming") finishedAt = Date.now();
  if (status?.phase === "failed" || child.process.exitCode !== null) throw new Error(`runtime ended: ${child.stderr().slice(-2000)}`);
}
const final = sampleProcess(pid);
if (final) peak = Math.max(peak, final.peakRssBytes);
child.process.kill("SIGTERM");
await child.exited;
const seconds = (finishedAt - (startedAt || finishedAt)) / 1000;
const report = {
  rows,
  chunkSize: Number(values.chunk),
  parallelism: Number(values.parallelism),
  seconds: Number(seconds.toFixed(1)),
  rowsPerSecond: Math.round(rows / Math.max(seconds, 0.001)),
  peakRssMiB: Number((peak / 1024 / 1024).toFixed(1)),
  heapCapMiB: values.heap ? Number(values.heap) : null,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
if (!values.keep) await db.query(`DROP DATABASE ${database}`);
await db.end();
