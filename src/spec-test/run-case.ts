// Runs one case offline: its events through the runtime's own stream (selection, renames,
// columns, filters, partitions, the encoder), the queued bytes decoded as `dts tail` decodes them,
// then compared with the expectations.
import type { DiagnosticBag, Pipeline } from "../compiler/index.js";
import { readableMessage } from "../messages/index.js";
import { recordTopics } from "../plan/index.js";
import { OfflineStream, zoneClock, type OutgoingMessage, type TableInfo } from "../runtime/index.js";
import { CaseEvents } from "./case-events.js";
import { compareMessages, type ActualMessage, type Failure } from "./compare.js";
import type { TestCase } from "./model.js";

/** The server version the messages name (DTS Avro `source`). */
const serverVersion = "8.0.36";

/** What --update writes for a message no expectation describes yet, per format. */
export const defaultFields: Record<Pipeline["format"], readonly string[]> = {
  "dts-avro": ["operation", "database", "table", "before", "after"],
  "canal-json": ["type", "database", "table", "pkNames", "data", "old"],
};

export interface CaseOutcome {
  /** Null when the case could not run (its problems are in the bag). */
  actual: ActualMessage[] | null;
  failures: Failure[];
}

/** The zone the case runs in: its own, else the pipeline's, with SYSTEM read as UTC. */
export function caseTimeZone(testCase: TestCase, pipeline: Pipeline): string {
  return testCase.timeZone ?? (pipeline.source.timezone === "SYSTEM" ? "+00:00" : pipeline.source.timezone);
}

/**
 * Partition counts: the case's, else what `create_topics` would create, else 1. A count stated
 * for a topic the pipeline does not write is harmless.
 */
function partitionCounts(testCase: TestCase, pipeline: Pipeline): Map<string, number> {
  const created = pipeline.destination.createTopics;
  const fallback = created.enabled ? created.partitions : 1;
  const counts = new Map(recordTopics(pipeline).map((topic) => [topic, fallback]));
  for (const [topic, count] of testCase.partitions) counts.set(topic, count);
  return counts;
}

function decoded(topic: string, partition: number, message: OutgoingMessage, format: Pipeline["format"]): ActualMessage {
  const bytes = (v: Buffer | string) => (typeof v === "string" ? Buffer.from(v, "utf8") : v);
  const key = message.key === null ? null : (JSON.parse(bytes(message.key).toString("utf8")) as unknown);
  return { topic, partition, key, value: readableMessage(bytes(message.value), format) as Record<string, unknown> };
}

/** The messages the case's changes produce, encoded to bytes and decoded again. */
export async function produce(testCase: TestCase, pipeline: Pipeline, bag: DiagnosticBag): Promise<ActualMessage[] | null> {
  const timeZone = caseTimeZone(testCase, pipeline);
  const events = new CaseEvents(testCase, zoneClock(timeZone), bag);
  if (!events.build()) return null;
  const queued: { topic: string; partition: number; message: OutgoingMessage }[] = [];
  const tables = new Map<string, TableInfo>(testCase.tables.map((t) => [`${t.database}\u0000${t.table}`, t]));
  const stream = new OfflineStream({
    pipeline,
    loadTable: async (database, table) => tables.get(`${database}\u0000${table}`) ?? null,
    queue: { enqueue: (topic, partition, message) => queued.push({ topic, partition, message }) },
    partitionCounts: partitionCounts(testCase, pipeline),
    timeZone,
    nowMs: testCase.timeSeconds * 1000,
    serverVersion,
  });
  for (const event of events.events) await stream.push(event);
  return queued.map((q) => decoded(q.topic, q.partition, q.message, pipeline.format));
}

export async function runCase(testCase: TestCase, pipeline: Pipeline, bag: DiagnosticBag): Promise<CaseOutcome> {
  const actual = await produce(testCase, pipeline, bag);
  if (!actual) return { actual: null, failures: [] };
  return { actual, failures: compareMessages(testCase.expectations, actual, testCase.span, defaultFields[pipeline.format]) };
}
