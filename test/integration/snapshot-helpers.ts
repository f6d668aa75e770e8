// Plumbing for the initial-sync integration tests: plans with an initial sync, a child runtime
// that may still be snapshotting, the checkpoint file, and the topic read back with the
// project's DTS Avro decoder into the latest row per key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type mysql from "mysql2/promise";
import type { ExecutionPlan, ObjectRule, Pipeline } from "../../src/generated/plan.js";
import type { ColumnValue, RowChange, TableInfo } from "../../src/runtime/change-event.js";
import type { Checkpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { decodeDtsAvro, dtsRecordToEvent, splitObjectName } from "../../src/messages/dts-avro.js";
import { convertSelectValue } from "../../src/runtime/source/column-values.js";
import { loadTableInfo, SNAPSHOT_SESSION_SQL, snapshotSelectList } from "../../src/runtime/source/table-schema.js";
import { pipelinePlan, spawnChild, waitForStatus, type ChildRuntime, type ReadMessage } from "./runtime-helpers.js";

export function snapshotPlan(name: string, topic: string, objects: ObjectRule[], sync: Partial<Pipeline["initialSync"]>, extra: Partial<Pipeline> = {}): ExecutionPlan {
  const plan = pipelinePlan(name, topic, objects, { format: "dts-avro", partition: { policy: "partition-zero" }, ...extra });
  const pipeline = plan.pipelines[0] as Pipeline;
  pipeline.source.startFrom = { kind: "after-initial-sync" };
  pipeline.initialSync = { schema: true, data: true, chunkSize: 100, parallelism: 2, throttle: { rowsPerSecond: null, bytesPerSecond: null }, ...sync };
  return plan;
}

export type Child = ChildRuntime;

/** A runtime child that logs at debug level (the tests read its chunk log lines). */
export function spawnRuntime(plan: ExecutionPlan, env: Record<string, string> = {}): Child {
  return spawnChild(plan, { DTS_LOG_LEVEL: "debug", ...env });
}

export async function waitForPhase(child: Child, phase: string, timeoutMs = 120_000): Promise<void> {
  await waitForStatus(child, (s) => s.phase === phase, timeoutMs);
}

export function readCheckpoint(stateDir: string): Checkpoint | null {
  try {
    return JSON.parse(readFileSync(join(stateDir, "checkpoint.json"), "utf8")) as Checkpoint;
  } catch {
    return null;
  }
}

/** Structured log lines of a child (pino JSON on stderr). */
export function logLines(child: Child): Record<string, unknown>[] {
  return child
    .stderr()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const textOf = (value: ColumnValue): string => {
  if (value === null) return "NULL";
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (typeof value === "object") return `${value.epochSeconds}.${value.micros}`;
  return String(value);
};

export function rowText(row: readonly ColumnValue[]): string {
  return row.map(textOf).join("|");
}

export interface DecodedTopic {
  /** Latest row per primary key (text of the key → text of the row), replaying in topic order. */
  latest: Map<string, string>;
  /** Snapshot (INIT) rows per key. */
  initCount: Map<string, number>;
  ddl: { sql: string; index: number }[];
  firstInitIndex: number;
}

/** Replays a single-partition topic of DTS Avro records for one table into its latest rows. */
export function replay(messages: ReadMessage[], info: TableInfo): DecodedTopic {
  const keyIndexes = info.primaryKey.map((name) => info.columns.findIndex((c) => c.name === name));
  const keyText = (row: readonly ColumnValue[]) => keyIndexes.map((i) => textOf(row[i] ?? null)).join("|");
  const latest = new Map<string, string>();
  const initCount = new Map<string, number>();
  const ddl: { sql: string; index: number }[] = [];
  let firstInitIndex = -1;
  messages.forEach((message, index) => {
    const { record } = decodeDtsAvro(message.value);
    const name = record.objectName ? splitObjectName(record.objectName.string) : [];
    if (record.operation === "DDL") {
      const event = dtsRecordToEvent(record);
      if (event.kind === "ddl") ddl.push({ sql: event.sql, index });
      return;
    }
    if (name[0] !== info.database || name[1] !== info.table) return;
    const change = dtsRecordToEvent(record, info) as RowChange;
    if (change.snapshot) {
      if (firstInitIndex < 0) firstInitIndex = index;
      const key = keyText(change.after ?? []);
      initCount.set(key, (initCount.get(key) ?? 0) + 1);
    }
    if (change.before) latest.delete(keyText(change.before));
    if (change.after) latest.set(keyText(change.after), rowText(change.after));
  });
  return { latest, initCount, ddl, firstInitIndex };
}

/** The table's rows as the snapshot reader converts them, keyed like `replay`. */
export async function tableRows(db: mysql.Connection, database: string, table: string): Promise<{ info: TableInfo; rows: Map<string, string> }> {
  const info = (await loadTableInfo(db, database, table)) as TableInfo;
  await db.query(SNAPSHOT_SESSION_SQL);
  const [raw] = await db.query({ sql: `SELECT ${snapshotSelectList(info)} FROM \`${database}\`.\`${table}\``, rowsAsArray: true });
  const keyIndexes = info.primaryKey.map((name) => info.columns.findIndex((c) => c.name === name));
  const rows = new Map<string, string>();
  for (const values of raw as unknown[][]) {
    const image = info.columns.map((column, i) => convertSelectValue(values[i], column));
    rows.set(keyIndexes.map((i) => textOf(image[i] ?? null)).join("|"), rowText(image));
  }
  return { info, rows };
}
