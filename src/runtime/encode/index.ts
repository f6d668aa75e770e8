// The one entry the runtime uses: an Encoder bound to plan.format. Per-table plans (value
// writers, renderers, keys, constant JSON fragments) are built on first use of a TableInfo and
// reused for every later row of it.
import type { DdlChange, EventContext, RowChange, TableInfo } from "../change-event.js";
import type { Pipeline } from "../../generated/plan.js";
import { canalTablePlan, encodeCanalDdl, encodeCanalRows, type CanalTablePlan } from "./canal-json.js";
import { dtsAvroTablePlan, encodeDtsAvroDdl, encodeDtsAvroRow, type DtsAvroContext, type DtsAvroTablePlan } from "./dts-avro.js";
import { messageKeyBuilder, type KeyBuilder } from "./message-key.js";
import { frameForRegistry } from "./schema-registry.js";
import { zoneClock, type ZoneClock } from "./time-zone.js";

export interface EncodedMessage {
  key: Buffer | null;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface Encoder {
  readonly format: Pipeline["format"];
  /**
   * Messages for row changes that go to one topic partition, in order. DTS Avro: one message
   * per row. Canal JSON: one FlatMessage per run of consecutive rows of the same table and
   * operation that share a key (rows of key-less tables share one message).
   */
  encodeRows(rows: RowChange[]): EncodedMessage[];
  encodeDdl(ddl: DdlChange): EncodedMessage[];
}

export interface EncoderOptions {
  /** Schema id from registerDtsRecordSchema when the plan names a registry (DTS Avro only). */
  schemaId?: number | null;
  /** Zone canal renders TIMESTAMP in; defaults to pipeline.source.timezone (resolve SYSTEM first). */
  timeZone?: string;
  /** Clock for canal's `ts`. */
  nowMs?: () => number;
  /** Canal `gtid`: the executed GTID set; defaults to the event's own GTID, or "". */
  gtidSet?: (event: EventContext) => string;
  /** First DTS Record id (default 1). */
  firstRecordId?: number;
}

interface TablePlans {
  key: KeyBuilder;
  avro?: DtsAvroTablePlan;
  canal?: CanalTablePlan;
}

type PlansFor = (table: TableInfo) => TablePlans;

/** Per-table plans, built on a table's first row and dropped with its TableInfo. */
function tablePlanCache(pipeline: Pipeline): PlansFor {
  const plans = new WeakMap<TableInfo, TablePlans>();
  return (table) => {
    let entry = plans.get(table);
    if (!entry) {
      entry = { key: messageKeyBuilder(table, pipeline.partition) };
      plans.set(table, entry);
    }
    return entry;
  };
}

/** DTS Avro: one message per row, each with the next Record id. */
function dtsAvroEncoder(plansFor: PlansFor, options: EncoderOptions): Encoder {
  const schemaId = options.schemaId ?? null;
  let recordId = options.firstRecordId ?? 1;
  // The registry framing is written ahead of the record rather than copied in front of it.
  const frame = schemaId === null ? undefined : frameForRegistry(schemaId, Buffer.alloc(0));
  const ctx: DtsAvroContext = { recordId, frame };
  return {
    format: "dts-avro",
    encodeRows(rows) {
      const messages = new Array<EncodedMessage>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as RowChange;
        const entry = plansFor(row.table);
        entry.avro ??= dtsAvroTablePlan(row.table);
        ctx.recordId = recordId++;
        messages[i] = { key: entry.key(row), value: encodeDtsAvroRow(row, entry.avro, ctx) };
      }
      return messages;
    },
    encodeDdl(ddl) {
      ctx.recordId = recordId++;
      return [{ key: null, value: encodeDtsAvroDdl(ddl, ctx) }];
    },
  };
}

/** Canal JSON: rows grouped into FlatMessages as Encoder.encodeRows describes; each call is one batch. */
function canalJsonEncoder(plansFor: PlansFor, clock: ZoneClock, options: EncoderOptions): Encoder {
  const now = options.nowMs ?? Date.now;
  const gtidSet = options.gtidSet ?? ((event: EventContext) => event.position.gtid ?? "");
  let batchId = 0;

  /** One FlatMessage for rows[from, to), which share a table, an operation and a key. */
  const canalMessage = (rows: RowChange[], from: number, to: number, key: Buffer | null, batch: number, ts: number): EncodedMessage => {
    const first = rows[from] as RowChange;
    const entry = plansFor(first.table);
    entry.canal ??= canalTablePlan(first.table, clock);
    return { key, value: encodeCanalRows(rows, from, to, entry.canal, { batchId: batch, nowMs: ts, gtidSet: gtidSet(first) }) };
  };

  return {
    format: "canal-json",
    encodeRows(rows) {
      const messages: EncodedMessage[] = [];
      const ts = now();
      const id = ++batchId;
      let start = 0;
      let runKey: Buffer | null = null;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as RowChange;
        const key = plansFor(row.table).key(row);
        if (i > start) {
          const first = rows[start] as RowChange;
          const joins = first.table === row.table && first.operation === row.operation && first.snapshot === row.snapshot && key === null && runKey === null;
          if (joins) continue;
          messages.push(canalMessage(rows, start, i, runKey, id, ts));
          start = i;
        }
        runKey = key;
      }
      if (rows.length > start) messages.push(canalMessage(rows, start, rows.length, runKey, id, ts));
      return messages;
    },
    encodeDdl(ddl) {
      return [{ key: null, value: encodeCanalDdl(ddl, { batchId: ++batchId, nowMs: now(), gtidSet: gtidSet(ddl) }) }];
    },
  };
}

export function createEncoder(pipeline: Pipeline, options: EncoderOptions = {}): Encoder {
  // Resolved for both formats, so an unknown zone fails here whichever format the plan names.
  const clock = zoneClock(options.timeZone ?? pipeline.source.timezone);
  const plansFor = tablePlanCache(pipeline);
  if (pipeline.format === "dts-avro") return dtsAvroEncoder(plansFor, options);
  return canalJsonEncoder(plansFor, clock, options);
}

export { registerDtsRecordSchema } from "./schema-registry.js";
