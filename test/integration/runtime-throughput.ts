// Streaming throughput on the real stack: record a checkpoint, write N rows while the runtime
// is stopped, then time how long a restarted runtime (child process) takes to deliver them all.
// Usage: npx tsx test/integration/runtime-throughput.ts [rows=200000] [format=dts-avro] [policy=primary-key-hash]
import { readFileSync } from "node:fs";
import type { PartitionPolicy } from "../../src/generated/plan.js";
import { exportStackEnv, pipelinePlan, rootConnection, rule, startChild, stopChild, topicSize, uniqueName } from "./runtime-helpers.js";

const rows = Number(process.argv[2] ?? 200_000);
const format = (process.argv[3] ?? "dts-avro") as "dts-avro" | "canal-json";
const policy = (process.argv[4] ?? "primary-key-hash") as PartitionPolicy["policy"];

/** VmHWM of the runtime child, in MiB (the child is node itself, not a wrapper). */
function peakRss(pid: number | undefined): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

exportStackEnv();
const db = await rootConnection();
const database = uniqueName("rt_bench");
await db.query(`CREATE DATABASE ${database}`);
await db.query("CREATE DATABASE IF NOT EXISTS seq");
await db.query(`CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, customer INT NOT NULL, status VARCHAR(16) NOT NULL, amount DECIMAL(12,2), note VARCHAR(64), created_at DATETIME(3) NOT NULL)`);
const topic = uniqueName("rt-bench");
const plan = pipelinePlan(uniqueName("bench"), topic, [rule(database, "orders")], { format, partition: { policy } as PartitionPolicy });
try {
  const first = await startChild(plan);
  await stopChild(first);
  process.stderr.write("checkpoint recorded; writing rows\n");
  const chunk = 20_000;
  const writeStart = Date.now();
  for (let from = 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    await db.query(
      `INSERT INTO ${database}.orders SELECT seq, seq % 1000, ELT(1 + seq % 3, 'NEW', 'PAID', 'SHIPPED'), seq / 100, CONCAT('note ', seq), '2024-05-01 10:00:00.123' FROM seq.seq_${from}_to_${to}`,
    );
  }
  const writeSeconds = (Date.now() - writeStart) / 1000;
  process.stderr.write(`wrote ${rows} rows in ${writeSeconds} s; streaming\n`);
  const started = Date.now();
  const runtime = await startChild(plan);
  let delivered = 0;
  const deadline = Date.now() + 300_000;
  while (delivered < rows) {
    if (Date.now() > deadline) throw new Error(`only ${delivered} of ${rows} delivered after 300 s\n${runtime.stderr().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
    delivered = await topicSize(topic);
  }
  const seconds = (Date.now() - started) / 1000;
  const peakRssMiB = peakRss(runtime.process.pid);
  await stopChild(runtime);
  process.stdout.write(`${JSON.stringify({ rows, format, policy, writeSeconds, deliverSeconds: seconds, rowsPerSecond: Math.round(rows / seconds), peakRssMiB })}\n`);
} finally {
  await db.query(`DROP DATABASE IF EXISTS ${database}`);
  await db.end();
}
