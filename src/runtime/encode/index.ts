// The one entry the runtime uses: an Encoder bound to plan.format. Per-table plans (value
// writers, renderers, keys, constant JSON fragments) are built on first use of a TableInfo and
// reused for every later row of it.
import type { DdlChange, EventContext, RowChange, TableInfo } from "../change-event.js";
import type { Pipeline } from "../../generated/plan.js";
import { canalTablePlan, encodeCanalDdl, encodeCanalRows, type CanalTablePlan } from "./canal-json.js";
import { dtsAvroTablePlan, encodeDtsAvroDdl, encodeDtsAvroRow, type DtsAvroTablePlan } from "./dts-avro.js";
import { messageKeyBuilder, type KeyBuilder } from "./message-key.js";
import { frameForRegistry } from "./schema-registry.js";
import { zoneClock } from "./time-zone.js";

export interface EncodedMessage {
  key: Buffer | null;
  value: Buffer;
  headers?: Record<string, string>;
  /** The row changes this message carries (empty for DDL). */
  rows: RowChange[];
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

export function createEncoder(pipeline: Pipeline, options: EncoderOptions = {}): Encoder {
  const plans = new WeakMap<TableInfo, TablePlans>();
  const clock = zoneClock(options.timeZone ?? pipeline.source.timezone);
  const now = options.nowMs ?? Date.now;
  const gtidSet = options.gtidSet ?? ((event: EventContext) => event.position.gtid ?? "");
  const schemaId = options.schemaId ?? null;
  let recordId = options.firstRecordId ?? 1;
  let batchId = 0;

  const plansFor = (table: TableInfo): TablePlans => {
    let entry = plans.get(table);
    if (!entry) {
      entry = { key: messageKeyBuilder(table, pipeline.partition) };
      plans.set(table, entry);
    }
    return entry;
  };

  if (pipeline.format === "dts-avro") {
    const frame = (body: Buffer) => (schemaId === null ? body : frameForRegistry(schemaId, body));
    return {
      format: "dts-avro",
      encodeRows(rows) {
        return rows.map((row) => {
          const entry = plansFor(row.table);
          entry.avro ??= dtsAvroTablePlan(row.table);
          return { key: entry.key(row), value: frame(encodeDtsAvroRow(row, entry.avro, { recordId: recordId++ })), rows: [row] };
        });
      },
      encodeDdl(ddl) {
        return [{ key: null, value: frame(encodeDtsAvroDdl(ddl, { recordId: recordId++ })), rows: [] }];
      },
    };
  }

  return {
    format: "canal-json",
    encodeRows(rows) {
      const messages: EncodedMessage[] = [];
      const ts = now();
      const id = ++batchId;
      let run: RowChange[] = [];
      let runKey: Buffer | null = null;
      const flush = () => {
        const first = run[0];
        if (!first) return;
        const entry = plansFor(first.table);
        entry.canal ??= canalTablePlan(first.table, clock);
        messages.push({ key: runKey, value: encodeCanalRows(run, entry.canal, { batchId: id, nowMs: ts, gtidSet: gtidSet(first) }), rows: run });
        run = [];
      };
      for (const row of rows) {
        const key = plansFor(row.table).key(row);
        const first = run[0];
        const joins = first !== undefined && first.table === row.table && first.operation === row.operation && first.snapshot === row.snapshot && key === null && runKey === null;
        if (!joins) flush();
        if (run.length === 0) runKey = key;
        run.push(row);
      }
      flush();
      return messages;
    },
    encodeDdl(ddl) {
      return [{ key: null, value: encodeCanalDdl(ddl, { batchId: ++batchId, nowMs: now(), gtidSet: gtidSet(ddl) }), rows: [] }];
    },
  };
}

export { registerDtsRecordSchema } from "./schema-registry.js";
