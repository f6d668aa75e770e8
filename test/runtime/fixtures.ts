// Small TableInfo builders for runtime unit tests.
import type { ColumnInfo, TableInfo } from "../../src/runtime/change-event.js";

export function column(name: string, dataType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  const integer = /int$/.test(dataType);
  return {
    name,
    columnType: dataType,
    dataType,
    typeCode: integer ? 8 : dataType === "decimal" ? 246 : dataType === "datetime" ? 18 : dataType === "timestamp" ? 17 : 253,
    unsigned: false,
    nullable: true,
    charset: integer || dataType === "decimal" || dataType === "datetime" || dataType === "timestamp" ? null : "utf8mb4",
    precision: null,
    scale: null,
    fsp: null,
    labels: null,
    ...extra,
  };
}

export function table(database: string, name: string, columns: ColumnInfo[], primaryKey: string[] = [], uniqueKeys: Record<string, string[]> = {}): TableInfo {
  return { database, table: name, columns, primaryKey, uniqueKeys };
}

export const orders = table(
  "shop",
  "orders",
  [column("id", "bigint"), column("status", "varchar"), column("amount", "decimal", { precision: 10, scale: 2 }), column("note", "text"), column("created_at", "datetime", { fsp: 3 })],
  ["id"],
);
