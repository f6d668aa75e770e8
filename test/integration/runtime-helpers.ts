// Shared plumbing for the runtime integration tests: the stack's connection settings, plans
// built in code (so the tests do not depend on the compiler), a root MySQL connection for
// workloads, a Kafka reader for whole topics, and a child-process runner for the runtime.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import kafkajs from "kafkajs";
import mysql from "mysql2/promise";
import avsc from "avsc";
import type { ExecutionPlan, ObjectRule, Pipeline } from "../../src/generated/plan.js";
import { run, type PipelineResult } from "../../src/runtime/index.js";
import { createLogger } from "../../src/runtime/logger.js";
import type { PipelineRunner } from "../../src/runtime/pipeline.js";
import { readToEnd } from "../../src/runtime/sink/read-to-end.js";
import { stackEnvPath } from "./stack-env.js";

const { Type } = avsc;
type Type = avsc.Type;

export const repoRoot = resolve(import.meta.dirname, "../..");

/** The stack's settings: the env file of `npm run stack:up` (in DTS_STACK_DIR), or the file named by DTS_STACK_ENV. */
export function stackEnv(): Record<string, string> {
  const path = stackEnvPath();
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run stack:up`);
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1] as string] = (m[2] as string).replace(/^(['"])(.*)\1$/, "$2");
  }
  return env;
}

/** Makes the stack's settings visible to code that reads process.env (plans use env refs). */
export function exportStackEnv(): Record<string, string> {
  const env = stackEnv();
  Object.assign(process.env, env);
  return env;
}

export async function rootConnection(database?: string): Promise<mysql.Connection> {
  const env = stackEnv();
  return mysql.createConnection({
    host: env.MYSQL_HOST, port: Number(env.MYSQL_PORT), user: env.MYSQL_ROOT_USER ?? "root", password: env.MYSQL_ROOT_PASSWORD,
    multipleStatements: true, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, ...(database ? { database } : {}),
  });
}

export function rule(database: string, table: string | null, extra: Partial<ObjectRule> = {}): ObjectRule {
  return {
    origin: { file: "test.dts", line: 1, column: 1 },
    database: { exact: database },
    table: table === null ? null : { exact: table },
    target: { database: null, table: null, topic: null },
    columns: { include: null, exclude: [], rename: {} },
    filter: null,
    partition: null,
    ...extra,
  };
}

let serverIds = 4000 + Math.floor(Math.random() * 1000);

export function pipelinePlan(name: string, topic: string, objects: ObjectRule[], extra: Partial<Pipeline> = {}, stateDir?: string): ExecutionPlan {
  const env = stackEnv();
  const pipeline: Pipeline = {
    name,
    origin: { file: "test.dts", line: 1, column: 1 },
    mode: "sync",
    format: "canal-json",
    source: {
      host: env.MYSQL_HOST as string,
      port: Number(env.MYSQL_PORT),
      user: { env: "MYSQL_USER" },
      password: { env: "MYSQL_PASSWORD" },
      serverId: serverIds++,
      tls: { mode: "off" },
      timezone: "+00:00",
      startFrom: { kind: "latest" },
    },
    destination: {
      brokers: [env.KAFKA_BROKERS as string],
      clientId: `dts-test-${name}`,
      topic,
      ddlTopic: topic,
      auth: { mechanism: "none" },
      tls: { enabled: false },
      schemaRegistry: null,
      createTopics: { enabled: true, partitions: 3, replicationFactor: 1 },
      compression: "none",
    },
    initialSync: { schema: false, data: false, chunkSize: 1000, parallelism: 1, throttle: { rowsPerSecond: null, bytesPerSecond: null } },
    partition: { policy: "partition-zero" },
    ddl: "ignore",
    retryWindowSeconds: 600,
    checkpoint: { directory: stateDir ?? mkdtempSync(join(tmpdir(), "dts-state-")), topic: null },
    objects: objects as Pipeline["objects"],
    ...extra,
  };
  return { planVersion: 1, pipelines: [pipeline] };
}

/** A TCP port on loopback that nothing listens on right now, for a throwaway server. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer;
}

export function kafka(): kafkajs.Kafka {
  const env = stackEnv();
  return new kafkajs.Kafka({ clientId: "dts-test-reader", brokers: [env.KAFKA_BROKERS as string], logLevel: kafkajs.logLevel.NOTHING });
}

/** Reads a topic from the beginning until `count` messages arrived (or the timeout passed). */
export async function readTopic(topic: string, count: number, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const consumer = kafka().consumer({ groupId: uniqueName("dts-test"), maxWaitTimeInMs: 200 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        messages.push({ partition, offset: message.offset, key: message.key, value: message.value as Buffer });
        if (messages.length >= count) done();
      },
    });
    await Promise.race([finished, new Promise((r) => setTimeout(r, timeoutMs))]);
  } finally {
    await consumer.disconnect();
  }
  return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/**
 * Every message a read_committed reader sees in the topic as it is now, in offset order per
 * partition. The end is found by batches, whose last offsets count transaction markers and
 * aborted records, so it works for transactional topics, where message counts and offsets differ.
 */
export async function readCommitted(topic: string, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const messages: ReadMessage[] = [];
  await readToEnd(kafka(), topic, (partition, message) => void messages.push({ partition, offset: message.offset, key: message.key, value: message.value as Buffer }), { groupId: uniqueName("dts-test"), timeoutMs });
  return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/** Total messages in a topic (sum of high watermarks), without a consumer group. */
export async function topicSize(topic: string): Promise<number> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export interface ChildRuntime {
  process: ChildProcess;
  stateDir: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts the runtime in a child process on `plan`, without waiting for it. */
export function spawnChild(plan: ExecutionPlan, env: Record<string, string> = {}): ChildRuntime {
  const pipeline = plan.pipelines[0] as Pipeline;
  const planPath = join(mkdtempSync(join(tmpdir(), "dts-plan-")), "plan.json");
  writeFileSync(planPath, JSON.stringify(plan));
  // DTS_CHILD_NODE_ARGS adds node flags to the runtime child, e.g. --cpu-prof for profiling.
  const nodeArgs = (process.env.DTS_CHILD_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", join(repoRoot, "test/integration/runtime-child.ts"), planPath, pipeline.name], {
    cwd: repoRoot,
    env: { ...process.env, ...stackEnv(), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { process: child, stateDir: join(pipeline.checkpoint.directory, pipeline.name), stderr: () => stderr, exited };
}

/** Starts the runtime in a child process on `plan` and waits until it streams. */
export async function startChild(plan: ExecutionPlan, env: Record<string, string> = {}): Promise<ChildRuntime> {
  const runtime = spawnChild(plan, env);
  await waitForStatus(runtime, (s) => s.phase === "streaming", 60_000);
  return runtime;
}

export interface StatusFile {
  phase: string;
  error: { message: string; hint: string | null; code?: string } | null;
  checkpoint: { position: { file: string; offset: number; gtidSet?: string | null } } | null;
  messagesTotal: number;
  /** The source server (host:port) the latest session reads. */
  source?: string;
}

export function readStatus(stateDir: string): StatusFile | null {
  try {
    return JSON.parse(readFileSync(join(stateDir, "status.json"), "utf8")) as StatusFile;
  } catch {
    return null;
  }
}

export async function waitForStatus(runtime: ChildRuntime | { stateDir: string; stderr?: () => string }, test: (s: StatusFile) => boolean, timeoutMs: number): Promise<StatusFile> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = readStatus(runtime.stateDir);
    if (status && test(status)) return status;
    if (Date.now() > deadline) throw new Error(`status never matched; last: ${JSON.stringify(status)}\n${runtime.stderr?.() ?? ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopChild(runtime: ChildRuntime, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  runtime.process.kill(signal);
  return runtime.exited;
}

export interface InProcessRuntime {
  stateDir: string;
  stop: () => Promise<PipelineResult>;
  done: Promise<PipelineResult>;
}

/** Runs the plan's pipeline inside the test process and waits until it streams. */
export async function startInProcess(plan: ExecutionPlan): Promise<InProcessRuntime> {
  exportStackEnv();
  const pipeline = plan.pipelines[0] as Pipeline;
  let runner: PipelineRunner | null = null;
  const done = run(plan, pipeline.name, {
    handleSignals: false,
    flushIntervalMs: 200,
    log: createLogger({ pretty: false, level: process.env.DTS_LOG_LEVEL ?? "warn" }),
    onRunner: (r) => (runner = r),
  });
  const stateDir = join(pipeline.checkpoint.directory, pipeline.name);
  const failedEarly = done.then((r) => r);
  const streaming = waitForStatus({ stateDir }, (s) => s.phase === "streaming", 60_000);
  const first = await Promise.race([streaming.then(() => null), failedEarly]);
  if (first) throw new Error(`runtime ended before streaming: ${first.error?.message ?? first.phase}`);
  return {
    stateDir,
    done,
    stop: async () => {
      (runner as PipelineRunner | null)?.requestStop();
      return done;
    },
  };
}

/** A decoded change, whichever format carried it: column values as text (null for SQL NULL). */
export interface DecodedChange {
  type: string;
  database: string;
  table: string;
  before: Record<string, string | null> | null;
  after: Record<string, string | null> | null;
  sql: string | null;
  partition: number;
  key: Buffer | null;
}

let avroRecord: Type | null = null;

function dtsAvroType(): Type {
  if (avroRecord) return avroRecord;
  const candidates = [join(repoRoot, "../shared/reference/dts-avro/subscribe_example/Record.avsc"), "/work/shared/reference/dts-avro/subscribe_example/Record.avsc"];
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error("Record.avsc not found next to the repository");
  const registry: Record<string, Type> = {};
  for (const schema of JSON.parse(readFileSync(path, "utf8")) as object[]) Type.forSchema(schema as never, { registry });
  avroRecord = registry["com.alibaba.dts.formats.avro.Record"] as Type;
  return avroRecord;
}

function avroValueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  let inner = value as Record<string, unknown>;
  const keys = Object.keys(inner);
  if (keys.length === 1 && (keys[0] as string).startsWith("com.alibaba")) inner = inner[keys[0] as string] as Record<string, unknown>;
  if ("charset" in inner) return Buffer.from(inner.value as Buffer).toString("utf8");
  if ("timestamp" in inner) return String(inner.timestamp);
  if ("year" in inner) {
    const n = (v: unknown) => (v === null || v === undefined ? null : Number((v as { int?: number }).int ?? v));
    const [y, mo, d, h, mi, s] = [inner.year, inner.month, inner.day, inner.hour, inner.minute, inner.second].map(n);
    const p = (x: number | null | undefined, w = 2) => String(x ?? 0).padStart(w, "0");
    return y != null && h != null ? `${p(y, 4)}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:${p(s)}` : y !== null ? `${p(y, 4)}-${p(mo)}-${p(d)}` : `${p(h)}:${p(mi)}:${p(s)}`;
  }
  const v = inner.value;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  return v === null || v === undefined ? null : String(v);
}

function unwrap<T>(value: unknown): T {
  if (value && typeof value === "object" && !Array.isArray(value) && !Buffer.isBuffer(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && /^(string|array|long|int|null)$/.test(keys[0] as string)) return (value as Record<string, T>)[keys[0] as string] as T;
  }
  return value as T;
}

export function decodeChanges(format: "canal-json" | "dts-avro", messages: ReadMessage[]): DecodedChange[] {
  const out: DecodedChange[] = [];
  for (const m of messages) {
    if (format === "canal-json") {
      const j = JSON.parse(m.value.toString("utf8")) as { type: string; database: string; table: string; isDdl: boolean; sql: string; data: Record<string, string | null>[] | null; old: Record<string, string | null>[] | null };
      if (j.isDdl) {
        out.push({ type: "DDL", database: j.database, table: j.table, before: null, after: null, sql: j.sql, partition: m.partition, key: m.key });
        continue;
      }
      (j.data ?? []).forEach((row, i) => {
        const before = j.type === "UPDATE" ? { ...row, ...(j.old?.[i] ?? {}) } : j.type === "DELETE" ? row : null;
        const after = j.type === "DELETE" ? null : row;
        out.push({ type: j.type, database: j.database, table: j.table, before, after, sql: null, partition: m.partition, key: m.key });
      });
    } else {
      const r = dtsAvroType().fromBuffer(m.value) as Record<string, unknown>;
      const operation = String(r.operation);
      const objectName = unwrap<string | null>(r.objectName) ?? "";
      const [database = "", table = ""] = objectName.split(".");
      if (operation === "DDL") {
        out.push({ type: "DDL", database, table, before: null, after: null, sql: unwrap<string>(r.afterImages), partition: m.partition, key: m.key });
        continue;
      }
      const fields = unwrap<{ name: string }[]>(r.fields) ?? [];
      const image = (images: unknown): Record<string, string | null> | null => {
        const values = unwrap<unknown[] | null>(images);
        if (!Array.isArray(values)) return null;
        return Object.fromEntries(fields.map((f, i) => [f.name, avroValueText(values[i])]));
      };
      out.push({ type: operation, database, table, before: image(r.beforeImages), after: image(r.afterImages), sql: null, partition: m.partition, key: m.key });
    }
  }
  return out;
}

/** Waits until the topic holds at least `minCount` messages and stops growing, then reads them all. */
export async function readSettled(topic: string, minCount: number, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const deadline = Date.now() + timeoutMs;
  let size = 0;
  let stableSince = Date.now();
  for (;;) {
    const now = await topicSize(topic).catch(() => 0);
    if (now !== size) {
      size = now;
      stableSince = Date.now();
    }
    if (size >= minCount && Date.now() - stableSince > 700) break;
    if (Date.now() > deadline) throw new Error(`topic ${topic} has ${size} messages, expected at least ${minCount}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return readTopic(topic, size);
}

/** Reads the rows of a change as numbers by column for compact assertions. */
export function idOf(change: DecodedChange): number {
  return Number((change.after ?? change.before)?.id);
}
