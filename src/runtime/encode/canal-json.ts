// Canal FlatMessage encoder (docs/formats.md, Canal JSON). One message holds rows of one table and one
// operation; keys are written in alphabetical order as canal's fastjson2 output does, with
// nulls written out. Where DTS's documented variant differs from canal we follow DTS:
// `ts` is the time the message is produced, and `sqlType` of an UNSIGNED integer column is
// always the widened type (no per-row condition).
import type { ColumnInfo, DdlChange, RowChange, RowImage, TableInfo } from "../change-event.js";
import { canalJsonRenderer, type CanalJsonRenderer } from "./canal-text.js";
import { columnFamily } from "./column-family.js";
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

/** Per-table pieces computed once: renderers and the JSON fragments that never change. */
export interface CanalTablePlan {
  quotedNames: string[];
  /** `"name":`, with the separating comma for all but the first column. */
  members: string[];
  renderers: CanalJsonRenderer[];
  /**
   * The message's constant runs in key order, joined once per table: what follows `data`
   * (database), `id` (isDdl, mysqlType) and `old` (pkNames … table).
   */
  afterData: string;
  afterId: string;
  afterOld: string;
  /** Reused per update row (encoding is synchronous) instead of two new arrays per row. */
  before: string[];
  after: string[];
}

export function canalTablePlan(table: TableInfo, clock: ZoneClock): CanalTablePlan {
  const quotedNames = table.columns.map((c) => JSON.stringify(c.name));
  const pairs = (f: (c: ColumnInfo) => unknown) => `{${table.columns.map((c, i) => `${quotedNames[i]}:${JSON.stringify(f(c))}`).join(",")}}`;
  const pkNames = table.primaryKey.length > 0 ? JSON.stringify(table.primaryKey) : "null";
  return {
    quotedNames,
    members: quotedNames.map((q, i) => `${i ? "," : ""}${q}:`),
    renderers: table.columns.map((c) => canalJsonRenderer(c, clock)),
    afterData: `],"database":${JSON.stringify(table.database)},"es":`,
    afterId: `,"isDdl":false,"mysqlType":${pairs((c) => c.columnType)},"old":`,
    afterOld: `,"pkNames":${pkNames},"sql":"","sqlType":${pairs(canalSqlType)},"table":${JSON.stringify(table.table)},"ts":`,
    before: [],
    after: [],
  };
}

/** One `data` entry, rendered straight from the image. */
function imageJson(plan: CanalTablePlan, image: RowImage): string {
  let out = "{";
  for (let i = 0; i < image.length; i++) out += (plan.members[i] as string) + (plan.renderers[i] as CanalJsonRenderer)(image[i] ?? null);
  return `${out}}`;
}

function render(plan: CanalTablePlan, image: RowImage, into: string[]): string[] {
  into.length = image.length;
  for (let i = 0; i < image.length; i++) into[i] = (plan.renderers[i] as CanalJsonRenderer)(image[i] ?? null);
  return into;
}

function objectJson(plan: CanalTablePlan, texts: string[]): string {
  let out = "{";
  for (let i = 0; i < texts.length; i++) out += (plan.members[i] as string) + (texts[i] as string);
  return `${out}}`;
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

function canalType(change: RowChange): string {
  return change.snapshot ? "INSERT" : canalTypes[change.operation];
}

/** The `gtid` member changes with transactions, not rows: its JSON is kept for the last set seen. */
let gtid = { set: "", json: '""' };

function gtidJson(set: string): string {
  if (gtid.set !== set) gtid = { set, json: JSON.stringify(set) };
  return gtid.json;
}

/** One FlatMessage for rows[from, to), of one table and one operation (the first row decides both). */
export function encodeCanalRows(rows: readonly RowChange[], from: number, to: number, plan: CanalTablePlan, ctx: CanalContext): Buffer {
  const first = rows[from];
  if (!first || to <= from) throw new Error("encodeCanalRows needs at least one row");
  const type = canalType(first);
  let data = "";
  let old = "";
  for (let i = from; i < to; i++) {
    const row = rows[i] as RowChange;
    const separator = i > from ? "," : "";
    if (type === "UPDATE") {
      const before = render(plan, row.before as RowImage, plan.before);
      const after = render(plan, row.after as RowImage, plan.after);
      data += separator + objectJson(plan, after);
      old += separator + changedJson(plan, before, after);
    } else {
      data += separator + imageJson(plan, (type === "DELETE" ? row.before : row.after) as RowImage);
    }
  }
  const json =
    `{"data":[${data}${plan.afterData}${first.eventTimeSeconds * 1000},"gtid":${gtidJson(ctx.gtidSet)},"id":${ctx.batchId}` +
    `${plan.afterId}${type === "UPDATE" ? `[${old}]` : "null"}${plan.afterOld}${ctx.nowMs},"type":"${type}"}`;
  return Buffer.from(json, "utf8");
}

/** Canal's DDL kinds (docs/formats.md, Canal JSON), decided from the statement's leading words. */
export function canalDdlType(sql: string): string {
  const text = sql.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\s+/g, " ").trim().toUpperCase();
  if (/^CREATE (TEMPORARY )?TABLE\b/.test(text)) return "CREATE";
  if (/^CREATE (UNIQUE |FULLTEXT |SPATIAL )?INDEX\b/.test(text)) return "CINDEX";
  if (/^DROP INDEX\b/.test(text)) return "DINDEX";
  if (/^DROP (TEMPORARY )?TABLE\b/.test(text)) return "ERASE";
  if (/^ALTER TABLE\b/.test(text)) return "ALTER";
  if (/^RENAME TABLE\b/.test(text)) return "RENAME";
  if (/^TRUNCATE\b/.test(text)) return "TRUNCATE";
  return "QUERY";
}

export function encodeCanalDdl(ddl: DdlChange, ctx: CanalContext): Buffer {
  const json =
    `{"data":null,"database":${JSON.stringify(ddl.database)},"es":${ddl.eventTimeSeconds * 1000},` +
    `"gtid":${JSON.stringify(ctx.gtidSet)},"id":${ctx.batchId},"isDdl":true,"mysqlType":null,"old":null,` +
    `"pkNames":null,"sql":${JSON.stringify(ddl.sql)},"sqlType":null,"table":${JSON.stringify(ddl.table)},` +
    `"ts":${ctx.nowMs},"type":"${canalDdlType(ddl.sql)}"}`;
  return Buffer.from(json, "utf8");
}
