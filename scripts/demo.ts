// `npm run demo`: the whole product on the local stack in one command. Brings MariaDB and Kafka
// up, creates the `demo` database with live traffic, runs specs/demo.dts and prints every
// message that arrives in Kafka, decoded. Ctrl-C (or --seconds N) stops it cleanly.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Kafka, logLevel } from "kafkajs";
import { compile, renderDiagnostics } from "../src/compiler/index.js";
import { readableMessage } from "../src/messages/index.js";
import { run } from "../src/runtime/index.js";
import { createLogger } from "../src/runtime/logger.js";
import type { PipelineRunner } from "../src/runtime/pipeline.js";
import { createDemoDatabase, startTraffic } from "./demo-traffic.js";
import { stackUp } from "./stack/stack.js";

const SPEC = "specs/demo.dts";
const { values: flags } = parseArgs({ options: { seconds: { type: "string" } } });
const seconds = Number(flags.seconds ?? (process.stdout.isTTY ? 0 : 30));

const say = (line: string) => process.stdout.write(`${line}\n`);

say("▶ starting the local stack (MariaDB + Kafka); the first run installs them, which takes a few minutes");
const { env } = await stackUp();
Object.assign(process.env, env);
say(`  MariaDB ${env.MYSQL_HOST}:${env.MYSQL_PORT}, Kafka ${env.KAFKA_BROKERS} (settings in .stack/env)`);

const connection = { host: env.MYSQL_HOST, port: Number(env.MYSQL_PORT), user: env.MYSQL_ROOT_USER, password: env.MYSQL_ROOT_PASSWORD };
await createDemoDatabase(connection);
say("▶ created database `demo` (customers, orders, order_items)");

const text = readFileSync(SPEC, "utf8");
const compiled = compile([{ file: SPEC, text }]);
if (!compiled.plan) {
  process.stderr.write(renderDiagnostics(compiled.diagnostics, "text", new Map([[SPEC, text]])));
  process.exit(1);
}
const pipeline = compiled.plan.pipelines[0]!;
say(`▶ compiled ${SPEC}: pipeline "${pipeline.name}", ${pipeline.format}, ${pipeline.partition.policy} → topic ${pipeline.destination.topic}`);

// Each demo starts over, with the initial sync it describes: a checkpoint of an earlier run may
// point into the binlog of a stack since removed (`rm -rf .stack`), which a pipeline refuses.
rmSync(join(pipeline.checkpoint.directory, pipeline.name), { recursive: true, force: true });

let runner: PipelineRunner | undefined;
const pipelineLog = createLogger({ level: "warn" });
const finished = run(compiled.plan, pipeline.name, { literalSecrets: compiled.literalSecrets, log: pipelineLog, handleSignals: false, onRunner: (r) => (runner = r) });
say(`▶ pipeline running (state in ${pipeline.checkpoint.directory}/${pipeline.name}); decoded messages follow\n`);

const traffic = startTraffic(connection);
const startedAt = Date.now();
const kafka = new Kafka({ clientId: "dts-demo-viewer", brokers: env.KAFKA_BROKERS.split(","), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `dts-demo-viewer-${process.pid}-${startedAt}` });
let stopping = false;
void finished.then((result) => {
  if (!stopping && result.phase === "failed") void stop(`the pipeline failed: ${result.error?.message ?? "unknown error"}`);
});
await waitForTopic(kafka, pipeline.destination.topic);
await consumer.connect();
await consumer.subscribe({ topic: pipeline.destination.topic, fromBeginning: true });
let shown = 0;
await consumer.run({
  eachMessage: async ({ partition, message }) => {
    if (!message.value || Number(message.timestamp) < startedAt - 5_000) return;
    shown++;
    say(fitToTerminal(oneLine(partition, message.offset, readableMessage(message.value, pipeline.format))));
  },
});

async function stop(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`\n▶ ${reason}: stopping traffic, flushing the pipeline and writing its checkpoint`);
  await traffic.stop();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  runner?.requestStop();
  const result = await finished;
  await consumer.disconnect();
  say(`▶ ${traffic.statements()} statements written, ${shown} messages shown; pipeline ${result.phase}${result.error ? `: ${result.error.message}` : ""}`);
  say("  next: `npx tsx src/cli/main.ts tail specs/demo.dts` to read the topic, `npm run stack:down` to stop the servers");
  process.exit(result.phase === "failed" ? 1 : 0);
}
process.on("SIGINT", () => void stop("Ctrl-C"));
process.on("SIGTERM", () => void stop("SIGTERM"));
if (seconds > 0) setTimeout(() => void stop(`${seconds} s are up`), seconds * 1000);

async function waitForTopic(client: Kafka, topic: string): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 120 && !stopping; attempt++) {
      if ((await admin.listTopics()).includes(topic)) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (stopping) return new Promise(() => {});
    throw new Error(`topic ${topic} did not appear within 60 s; see the pipeline's status in ${pipeline.checkpoint.directory}/${pipeline.name}/status.json`);
  } finally {
    await admin.disconnect();
  }
}

/** One line per message: where it landed, what happened, and the row. */
function oneLine(partition: number, offset: string, decoded: unknown): string {
  const m = decoded as Record<string, unknown>;
  const where = `p${partition}@${offset}`.padEnd(9);
  if ("operation" in m) {
    const row = m.operation === "DELETE" ? m.before : m.after;
    const body = typeof row === "string" ? row.replace(/\s+/g, " ") : JSON.stringify(row);
    return `${where} ${String(m.operation).padEnd(6)} ${m.database}.${m.table} ${body}`;
  }
  const rows = (m.data as unknown[] | null) ?? [];
  return `${where} ${String(m.type).padEnd(6)} ${m.database}.${m.table} ${m.isDdl ? String(m.sql).replace(/\s+/g, " ") : JSON.stringify(rows.length === 1 ? rows[0] : rows)}`;
}

function fitToTerminal(line: string): string {
  const width = process.stdout.isTTY ? process.stdout.columns : 0;
  return width > 20 && line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
