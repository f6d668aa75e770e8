// Canal FlatMessage encoder (docs/formats.md, Canal JSON). One message holds rows of one table and one
// operation; keys are written in alphabetical order as canal's fastjson2 output does, with
// nulls written out. Where DTS's documented variant differs from canal we follow DTS:
// `ts` is the time the message is produced, and `sqlType` of an UNSIGNED integer column is
// always the widened type (no per-row condition).
import type { ColumnInfo, DdlChange, RowChange, RowImage, RowText, TableInfo } from "../change-event.js";
import { ddlTarget, type DdlKind } from "../source/ddl-statement.js";
import { canalJsonRenderer, canalTextWriter, canalValueWriter, type CanalJsonRenderer, type CanalTextWriter, type CanalValueWriter } from "./canal-text.js";
import { columnFamily } from "./column-family.js";
import { JsonWriter } from "./json-writer.js";
import type { ZoneClock } from "./time-zone.js";

export interface CanalContext {
  /** Canal's batch id (`id`); shared by the messages of one batch. */
  batchId: number;
  /** Wall-clock time the message is produced, ms (`ts`). */
  nowMs: number;
  /** GTID set executed so far, or "" when GTIDs are off (`gtid`). */
  gtidSet: string;
}

/** java.sql.Types codes canal reports (docs/formats.md, Canal JSON), signed variants. */
const signedSqlType: Record<string, number> = {
  bit: -7, tinyint: -6, smallint: 5, mediumint: 4, int: 4, integer: 4, bigint: -5, decimal: 3, numeric: 3,
  float: 7, double: 8, real: 8, char: 1, varchar: 12, year: 12, date: 91, time: 92, datetime: 93, timestamp: 93,
  tinytext: 2005, text: 2005, mediumtext: 2005, longtext: 2005, binary: 2004, varbinary: 2004, tinyblob: 2004,
  blob: 2004, mediumblob: 2004, longblob: 2004, enum: 4, set: -7, json: 12,
};
const unsignedSqlType: Record<string, number> = { tinyint: 5, smallint: 4, mediumint: 4, int: -5, integer: -5, bigint: 3 };

export function canalSqlType(column: ColumnInfo): number {
  const type = column.dataType.toLowerCase();
  if (column.unsigned && unsignedSqlType[type] !== undefined) return unsignedSqlType[type] as number;
  if (columnFamily(column) === "geometry") return 2004;
  if (columnFamily(column) === "binary") return 2004;
  return signedSqlType[type] ?? 12;
}

/** Per-table pieces computed once: value writers and the JSON fragments that never change, as UTF-8. */
export interface CanalTablePlan {
  quotedNames: string[];
  /** `"name":`, with the separating comma for all but the first column. */
  members: Buffer[];
  writers: CanalValueWriter[];
  /** For rows that come as the server's bytes (RowChange.text). */
  textWriters: CanalTextWriter[];
  /** For updates, whose `old` compares the texts of the two images. */
  renderers: CanalJsonRenderer[];
  /**
   * The message's constant runs in key order, joined once per table: what follows `data`
   * (database), `id` (isDdl, mysqlType) and `old` (pkNames … table).
   */
  afterData: Buffer;
  afterId: Buffer;
  afterOld: Buffer;
  /** Reused per update row (encoding is synchronous) instead of two new arrays per row. */
  before: string[];
  after: string[];
}

export function canalTablePlan(table: TableInfo, clock: ZoneClock): CanalTablePlan {
  const quotedNames = table.columns.map((c) => JSON.stringify(c.name));
  const pairs = (f: (c: ColumnInfo) => unknown) => `{${table.columns.map((c, i) => `${quotedNames[i]}:${JSON.stringify(f(c))}`).join(",")}}`;
  const pkNames = table.primaryKey.length > 0 ? JSON.stringify(table.primaryKey) : "null";
  const utf8 = (text: string) => Buffer.from(text, "utf8");
  const writers = table.columns.map((c) => canalValueWriter(c, clock));
  return {
    quotedNames,
    members: quotedNames.map((q, i) => utf8(`${i ? "," : ""}${q}:`)),
    writers,
    textWriters: table.columns.map((c, i) => canalTextWriter(c, writers[i] as CanalValueWriter, clock)),
    renderers: table.columns.map((c) => canalJsonRenderer(c, clock)),
    afterData: utf8(`],"database":${JSON.stringify(table.database)},"es":`),
    afterId: utf8(`,"isDdl":false,"mysqlType":${pairs((c) => c.columnType)},"old":`),
    afterOld: utf8(`,"pkNames":${pkNames},"sql":"","sqlType":${pairs(canalSqlType)},"table":${JSON.stringify(table.table)},"ts":`),
    before: [],
    after: [],
  };
}

/** Messages are written into a slab and handed out as views (see SlabWriter). */
const writer = new JsonWriter();
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

/** One `data` entry, written straight from the image. */
function writeImage(w: JsonWriter, plan: CanalTablePlan, image: RowImage): void {
  w.byte(OPEN_BRACE);
  for (let i = 0; i < image.length; i++) {
    w.raw(plan.members[i] as Buffer);
    (plan.writers[i] as CanalValueWriter)(w, image[i] ?? null);
  }
  w.byte(CLOSE_BRACE);
}

/** One `data` entry, written from the server's bytes. */
function writeText(w: JsonWriter, plan: CanalTablePlan, row: RowText): void {
  w.byte(OPEN_BRACE);
  for (let i = 0; i < plan.textWriters.length; i++) {
    w.raw(plan.members[i] as Buffer);
    (plan.textWriters[i] as CanalTextWriter)(w, row, i);
  }
  w.byte(CLOSE_BRACE);
}

function render(plan: CanalTablePlan, image: RowImage, into: string[]): string[] {
  into.length = image.length;
  for (let i = 0; i < image.length; i++) into[i] = (plan.renderers[i] as CanalJsonRenderer)(image[i] ?? null);
  return into;
}

function writeTexts(w: JsonWriter, plan: CanalTablePlan, texts: string[]): void {
  w.byte(OPEN_BRACE);
  for (let i = 0; i < texts.length; i++) {
    w.raw(plan.members[i] as Buffer);
    w.text(texts[i] as string);
  }
  w.byte(CLOSE_BRACE);
}

/**
 * Canal's `old` entry: previous values of the columns whose text changed. JSON quoting is
 * one-to-one, so comparing the quoted texts is comparing the texts.
 */
function changedJson(plan: CanalTablePlan, before: string[], after: string[]): string {
  let out = "{";
  let first = true;
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    out += `${first ? "" : ","}${plan.quotedNames[i] as string}:${before[i] as string}`;
    first = false;
  }
  return `${out}}`;
}

const canalTypes = { insert: "INSERT", update: "UPDATE", delete: "DELETE" } as const;

type CanalType = (typeof canalTypes)[keyof typeof canalTypes];

function canalType(change: RowChange): CanalType {
  return change.snapshot ? "INSERT" : canalTypes[change.operation];
}

/** The `gtid` member changes with transactions, not rows: its JSON is kept for the last set seen. */
let gtid = { set: "", json: Buffer.from(',"gtid":"","id":') };

function gtidMember(set: string): Buffer {
  if (gtid.set !== set) gtid = { set, json: Buffer.from(`,"gtid":${JSON.stringify(set)},"id":`, "utf8") };
  return gtid.json;
}

const OPEN_DATA = Buffer.from('{"data":[');
const NO_OLD = Buffer.from("null");
const TYPE_MEMBER: Record<CanalType, Buffer> = { INSERT: Buffer.from(',"type":"INSERT"}'), UPDATE: Buffer.from(',"type":"UPDATE"}'), DELETE: Buffer.from(',"type":"DELETE"}') };

/** One FlatMessage for rows[from, to), of one table and one operation (the first row decides both). */
export function encodeCanalRows(rows: readonly RowChange[], from: number, to: number, plan: CanalTablePlan, ctx: CanalContext): Buffer {
  const first = rows[from];
  if (!first || to <= from) throw new Error("encodeCanalRows needs at least one row");
  const type = canalType(first);
  const w = writer;
  w.begin();
  w.raw(OPEN_DATA);
  let old = "";
  for (let i = from; i < to; i++) {
    const row = rows[i] as RowChange;
    if (i > from) w.byte(COMMA);
    if (type === "UPDATE") {
      const before = render(plan, row.before as RowImage, plan.before);
      const after = render(plan, row.after as RowImage, plan.after);
      writeTexts(w, plan, after);
      old += (i > from ? "," : "") + changedJson(plan, before, after);
    } else if (row.text) {
      writeText(w, plan, row.text);
    } else {
      writeImage(w, plan, (type === "DELETE" ? row.before : row.after) as RowImage);
    }
  }
  w.raw(plan.afterData);
  w.integer(first.eventTimeSeconds * 1000);
  w.raw(gtidMember(ctx.gtidSet));
  w.integer(ctx.batchId);
  w.raw(plan.afterId);
  if (type === "UPDATE") w.text(`[${old}]`);
  else w.raw(NO_OLD);
  w.raw(plan.afterOld);
  w.integer(ctx.nowMs);
  w.raw(TYPE_MEMBER[type]);
  return w.take();
}

const canalDdlTypes: Record<DdlKind, string> = {
  "create-table": "CREATE",
  "alter-table": "ALTER",
  "drop-table": "ERASE",
  "rename-table": "RENAME",
  "truncate-table": "TRUNCATE",
  "create-index": "CINDEX",
  "drop-index": "DINDEX",
  database: "QUERY",
  other: "QUERY",
};

/** Canal's DDL type (docs/formats.md, Canal JSON): the kind of statement, whatever its options. */
export function canalDdlType(sql: string): string {
  return canalDdlTypes[ddlTarget(sql, "").kind];
}

export function encodeCanalDdl(ddl: DdlChange, ctx: CanalContext): Buffer {
  const json =
    `{"data":null,"database":${JSON.stringify(ddl.database)},"es":${ddl.eventTimeSeconds * 1000},` +
    `"gtid":${JSON.stringify(ctx.gtidSet)},"id":${ctx.batchId},"isDdl":true,"mysqlType":null,"old":null,` +
    `"pkNames":null,"sql":${JSON.stringify(ddl.sql)},"sqlType":null,"table":${JSON.stringify(ddl.table)},` +
    `"ts":${ctx.nowMs},"type":"${canalDdlType(ddl.sql)}"}`;
  return Buffer.from(json, "utf8");
}
