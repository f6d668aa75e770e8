// DTS Avro encoder (docs/formats.md, DTS Avro): one raw binary-encoded Record per row change or DDL, no
// container header and no registry prefix (see schema-registry.ts for that framing).
import { MysqlTypeCode, type DdlChange, type EventContext, type RowChange, type RowImage, type RowText, type TableInfo } from "../change-event.js";
import { avroBytes, AvroWriter } from "./avro-writer.js";
import { avroTextWriter, avroValueWriter, type AvroTextWriter, type AvroValueWriter } from "./dts-avro-values.js";

/**
 * `dataTypeNumber` of a column: MySQL's classic codes for TIMESTAMP/DATETIME/TIME, which DTS's
 * consumer example decodes, where the binlog's table map carries TIMESTAMP2/DATETIME2/TIME2
 * (docs/formats.md, DTS Avro, dataTypeNumber).
 */
function dtsTypeNumber(code: MysqlTypeCode): MysqlTypeCode {
  switch (code) {
    case MysqlTypeCode.TIMESTAMP2: return MysqlTypeCode.TIMESTAMP;
    case MysqlTypeCode.DATETIME2: return MysqlTypeCode.DATETIME;
    case MysqlTypeCode.TIME2: return MysqlTypeCode.TIME;
    default: return code;
  }
}

/** The Record `version` we write; DTS's own value is unconfirmed (docs/formats.md, DTS Avro). */
export const DTS_RECORD_VERSION = 1;

export interface DtsAvroContext {
  /** Record `id`: a counter per pipeline, increasing by one per record. */
  recordId: bigint | number;
  /** Record `bornTimestamp` in ms; defaults to the event time (the binlog has whole seconds only). */
  bornTimestampMs?: number;
  /** Bytes written before the record in the same buffer (the schema registry framing), if any. */
  frame?: Uint8Array;
}

/** Per-table pieces computed once: value writers and the Avro bytes of the constant fields. */
export interface DtsAvroTablePlan {
  /** objectName, processTimestamps, tags and fields, already Avro-encoded (they follow `operation`). */
  constantMiddle: Buffer;
  writers: AvroValueWriter[];
  /** For rows that come as the server's bytes (RowChange.text). */
  textWriters: AvroTextWriter[];
}

/** A literal `.` inside a name is written as the six characters `\u002E` (docs/formats.md, DTS Avro). */
export function escapeObjectNamePart(name: string): string {
  return name.replaceAll(".", "\\u002E");
}

export function objectName(database: string, table: string): string {
  return table === "" ? escapeObjectNamePart(database) : `${escapeObjectNamePart(database)}.${escapeObjectNamePart(table)}`;
}

/** `pk_uk_info`: index name → column names, PRIMARY first; absent when the table has no key. */
export function pkUkInfo(table: TableInfo): string | null {
  // Null prototype: a unique index named `__proto__` must stay a key of the JSON.
  const keys: Record<string, string[]> = Object.create(null);
  if (table.primaryKey.length > 0) keys.PRIMARY = table.primaryKey;
  for (const [name, columns] of Object.entries(table.uniqueKeys)) keys[name] = columns;
  return Object.keys(keys).length > 0 ? JSON.stringify(keys) : null;
}

/** Record.avsc enum symbol indexes. */
const Operation = { INSERT: 0, UPDATE: 1, DELETE: 2, DDL: 3, INIT: 16 } as const;
const SOURCE_TYPE_MYSQL = 0;

function writeTags(w: AvroWriter, tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > 0) {
    w.long(entries.length);
    for (const [key, value] of entries) {
      w.string(key);
      w.string(value);
    }
  }
  w.long(0);
}

export function dtsAvroTablePlan(table: TableInfo): DtsAvroTablePlan {
  const info = pkUkInfo(table);
  const constantMiddle = avroBytes((w) => {
    w.long(1); // objectName: string branch
    w.string(objectName(table.database, table.table));
    w.long(0); // processTimestamps: null
    writeTags(w, info === null ? {} : { pk_uk_info: info });
    w.long(2); // fields: array branch
    w.long(table.columns.length);
    for (const c of table.columns) {
      w.string(c.name);
      w.long(dtsTypeNumber(c.typeCode));
    }
    w.long(0);
  });
  const writers = table.columns.map(avroValueWriter);
  return { constantMiddle, writers, textWriters: table.columns.map((c, i) => avroTextWriter(c, writers[i] as AvroValueWriter)) };
}

/** `file:offset` of the binlog event; "" for snapshot rows, which have no binlog position. */
export function sourcePositionText(event: EventContext): string {
  return event.position.file === "" ? "" : `${event.position.file}:${event.position.offset}`;
}

const writer = new AvroWriter();

/** The server version is the same on every record: its Avro bytes are kept for the last one seen. */
let serverVersion = { text: "", bytes: avroBytes((w) => w.string("")) };

function serverVersionBytes(text: string): Buffer {
  if (serverVersion.text !== text) serverVersion = { text, bytes: avroBytes((w) => w.string(text)) };
  return serverVersion.bytes;
}

function writeHead(w: AvroWriter, event: EventContext, ctx: DtsAvroContext, operation: number): void {
  w.begin();
  if (ctx.frame) w.raw(ctx.frame);
  w.long(DTS_RECORD_VERSION);
  w.long(Number(ctx.recordId));
  w.long(event.eventTimeSeconds);
  // sourcePosition and safeSourcePosition are the same string: encode it once, copy the bytes.
  const position = w.mark;
  w.string(sourcePositionText(event));
  w.repeat(position);
  w.string(event.transactionId);
  w.long(SOURCE_TYPE_MYSQL);
  w.raw(serverVersionBytes(event.serverVersion));
  w.long(operation);
}

function writeImage(w: AvroWriter, plan: DtsAvroTablePlan, image: RowImage | null): void {
  if (image === null) return w.long(0);
  w.long(2); // array branch
  w.long(image.length);
  for (let i = 0; i < image.length; i++) (plan.writers[i] as AvroValueWriter)(w, image[i] ?? null);
  w.long(0);
}

function writeText(w: AvroWriter, writers: AvroTextWriter[], row: RowText): void {
  w.long(2); // array branch
  w.long(writers.length);
  for (let i = 0; i < writers.length; i++) (writers[i] as AvroTextWriter)(w, row, i);
  w.long(0);
}

export function encodeDtsAvroRow(row: RowChange, plan: DtsAvroTablePlan, ctx: DtsAvroContext): Buffer {
  // Full-load rows are INIT records carrying the after image (docs/formats.md, DTS Avro).
  const operation = row.snapshot ? Operation.INIT : row.operation === "insert" ? Operation.INSERT : row.operation === "update" ? Operation.UPDATE : Operation.DELETE;
  writeHead(writer, row, ctx, operation);
  writer.raw(plan.constantMiddle);
  writeImage(writer, plan, row.before);
  if (row.text) writeText(writer, plan.textWriters, row.text);
  else writeImage(writer, plan, row.after);
  writer.long(ctx.bornTimestampMs ?? row.eventTimeSeconds * 1000);
  return writer.take();
}

export function encodeDtsAvroDdl(ddl: DdlChange, ctx: DtsAvroContext): Buffer {
  writeHead(writer, ddl, ctx, Operation.DDL);
  if (ddl.database === "" && ddl.table === "") writer.long(0);
  else {
    writer.long(1);
    writer.string(objectName(ddl.database, ddl.table));
  }
  writer.long(0); // processTimestamps
  writer.long(0); // tags: empty map
  writer.long(0); // fields: null
  writer.long(0); // beforeImages: null
  writer.long(1); // afterImages: the SQL text
  writer.string(ddl.sql);
  writer.long(ctx.bornTimestampMs ?? ddl.eventTimeSeconds * 1000);
  return writer.take();
}
