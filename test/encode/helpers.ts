// Small builders for tables and events used by the encoder and decoder tests.
import type { ColumnInfo, DdlChange, RowChange, TableInfo } from "../../src/runtime/change-event.js";
import { columnInfoFrom } from "../../src/runtime/source/table-schema.js";
import type { Pipeline } from "../../src/generated/plan.js";

/** A column as information_schema would describe `columnType` (e.g. `decimal(10,2)`). */
export function column(name: string, columnType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  const dataType = (/^[a-z]+/.exec(columnType.toLowerCase()) as RegExpExecArray)[0];
  const args = /\((\d+)(?:,(\d+))?\)/.exec(columnType);
  const first = args?.[1] === undefined ? null : Number(args[1]);
  const isText = /char|text|enum|set|json/.test(dataType);
  const temporal = /^(datetime|timestamp|time)$/.test(dataType);
  const base = columnInfoFrom({
    name, columnType, dataType, nullable: "YES", charset: isText ? "utf8mb4" : null,
    numericPrecision: /int|decimal|float|double|bit/.test(dataType) ? (first ?? 10) : null,
    numericScale: dataType === "decimal" ? Number(args?.[2] ?? 0) : null,
    datetimePrecision: temporal ? (first ?? 0) : null,
    charLength: isText || /binary|blob/.test(dataType) ? (first ?? 65535) : null,
  });
  return { ...base, ...extra };
}

export function ordersTable(): TableInfo {
  return {
    database: "shop", table: "orders",
    columns: [column("id", "bigint(20)"), column("status", "varchar(16)"), column("amount", "decimal(10,2)"), column("note", "text"), column("created_at", "datetime(3)")],
    primaryKey: ["id"], uniqueKeys: {},
  };
}

export const context = { position: { file: "mysql-bin.000003", offset: 1234, gtid: "0-1-42" }, transactionId: "0-1-42", serverVersion: "10.11.6-MariaDB-log" };

export function row(table: TableInfo, operation: RowChange["operation"], before: RowChange["before"], after: RowChange["after"], eventTimeSeconds: number, snapshot = false): RowChange {
  return { kind: "row", operation, snapshot, table, before, after, eventTimeSeconds, ...context };
}

export function ddl(database: string, table: string, sql: string, eventTimeSeconds: number): DdlChange {
  return { kind: "ddl", database, table, sql, eventTimeSeconds, ...context };
}

export function pipeline(format: Pipeline["format"], timezone = "+00:00"): Pipeline {
  return { format, source: { timezone }, partition: { policy: "primary-key-hash" } } as unknown as Pipeline;
}
