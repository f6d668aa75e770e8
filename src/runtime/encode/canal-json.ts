// Canal FlatMessage encoder (FORMATS.md §b). One message holds rows of one table and one
// operation; keys are written in alphabetical order as canal's fastjson2 output does, with
// nulls written out. Where DTS's documented variant differs from canal we follow DTS:
// `ts` is the time the message is produced, and `sqlType` of an UNSIGNED integer column is
// always the widened type (no per-row condition).
import type { ColumnInfo, DdlChange, RowChange, RowImage, TableInfo } from "../change-event.js";
import { canalRenderer, type CanalRenderer } from "./canal-text.js";
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

/** java.sql.Types codes canal reports (FORMATS.md §b.3), signed variants. */
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
  names: string[];
  quotedNames: string[];
  renderers: CanalRenderer[];
  /** `"database":…` … fragments that follow data/old in key order, precomputed. */
  databaseJson: string;
  mysqlTypeJson: string;
  pkNamesJson: string;
  sqlTypeJson: string;
  tableJson: string;
}

export function canalTablePlan(table: TableInfo, clock: ZoneClock): CanalTablePlan {
  const names = table.columns.map((c) => c.name);
  const quotedNames = names.map((n) => JSON.stringify(n));
  const pairs = (f: (c: ColumnInfo) => unknown) => `{${table.columns.map((c, i) => `${quotedNames[i]}:${JSON.stringify(f(c))}`).join(",")}}`;
  return {
    names,
    quotedNames,
    renderers: table.columns.map((c) => canalRenderer(c, clock)),
    databaseJson: JSON.stringify(table.database),
    mysqlTypeJson: pairs((c) => c.columnType),
    pkNamesJson: table.primaryKey.length > 0 ? JSON.stringify(table.primaryKey) : "null",
    sqlTypeJson: pairs(canalSqlType),
    tableJson: JSON.stringify(table.table),
  };
}

function rowJson(plan: CanalTablePlan, texts: (string | null)[]): string {
  let out = "{";
  for (let i = 0; i < texts.length; i++) out += `${i ? "," : ""}${plan.quotedNames[i]}:${JSON.stringify(texts[i] ?? null)}`;
  return `${out}}`;
}

function render(plan: CanalTablePlan, image: RowImage): (string | null)[] {
  const texts = new Array<string | null>(image.length);
  for (let i = 0; i < image.length; i++) texts[i] = (plan.renderers[i] as CanalRenderer)(image[i] ?? null);
  return texts;
}

/** Canal's `old` entry: previous values of the columns whose text changed. */
function changedJson(plan: CanalTablePlan, before: (string | null)[], after: (string | null)[]): string {
  let out = "{";
  let first = true;
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    out += `${first ? "" : ","}${plan.quotedNames[i]}:${JSON.stringify(before[i] ?? null)}`;
    first = false;
  }
  return `${out}}`;
}

function canalType(change: RowChange): string {
  return change.snapshot ? "INSERT" : change.operation.toUpperCase();
}

/** One FlatMessage for rows of one table and one operation (the first row decides both). */
export function encodeCanalRows(rows: readonly RowChange[], plan: CanalTablePlan, ctx: CanalContext): Buffer {
  const first = rows[0];
  if (!first) throw new Error("encodeCanalRows needs at least one row");
  const type = canalType(first);
  const data: string[] = [];
  const old: string[] = [];
  for (const row of rows) {
    if (type === "UPDATE") {
      const before = render(plan, row.before as RowImage);
      const after = render(plan, row.after as RowImage);
      data.push(rowJson(plan, after));
      old.push(changedJson(plan, before, after));
    } else {
      data.push(rowJson(plan, render(plan, (type === "DELETE" ? row.before : row.after) as RowImage)));
    }
  }
  const json =
    `{"data":[${data.join(",")}],"database":${plan.databaseJson},"es":${first.eventTimeSeconds * 1000},` +
    `"gtid":${JSON.stringify(ctx.gtidSet)},"id":${ctx.batchId},"isDdl":false,"mysqlType":${plan.mysqlTypeJson},` +
    `"old":${type === "UPDATE" ? `[${old.join(",")}]` : "null"},"pkNames":${plan.pkNamesJson},"sql":"",` +
    `"sqlType":${plan.sqlTypeJson},"table":${plan.tableJson},"ts":${ctx.nowMs},"type":"${type}"}`;
  return Buffer.from(json, "utf8");
}

/** Canal's DDL kinds (FORMATS.md §b.1), decided from the statement's leading words. */
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
