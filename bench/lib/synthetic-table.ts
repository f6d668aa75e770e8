// The 10-column table of the micro-benchmarks (bench/encode.ts, bench/snapshot-rows.ts): the
// shape of the end-to-end benchmark's table, described as the runtime's TableInfo so rows can
// be made without a server.
import type { ColumnInfo, TableInfo } from "../../src/runtime/change-event.js";
import { columnInfoFrom } from "../../src/runtime/source/table-schema.js";

function column(name: string, columnType: string, dataType: string, charset: string | null, precision: number | null, scale: number | null, fsp: number | null): ColumnInfo {
  return columnInfoFrom({ name, columnType, dataType, nullable: name === "id" ? "NO" : "YES", charset, numericPrecision: precision, numericScale: scale, datetimePrecision: fsp, charLength: charset ? 255 : null });
}

export const syntheticTable: TableInfo = {
  database: "shop", table: "orders",
  columns: [
    column("id", "bigint(20)", "bigint", null, 19, 0, null),
    column("quantity", "int(11)", "int", null, 10, 0, null),
    column("customer_id", "bigint(20)", "bigint", null, 19, 0, null),
    column("amount", "decimal(12,2)", "decimal", null, 12, 2, null),
    column("status", "varchar(16)", "varchar", "utf8mb4", null, null, null),
    column("email", "varchar(128)", "varchar", "utf8mb4", null, null, null),
    column("created_at", "datetime(6)", "datetime", null, null, null, 6),
    column("updated_at", "timestamp", "timestamp", null, null, null, 0),
    column("flag", "tinyint(4)", "tinyint", null, 3, 0, null),
    column("note", "text", "text", "utf8mb4", null, null, null),
  ],
  primaryKey: ["id"], uniqueKeys: {},
};

/** ~200 bytes of text for the TEXT column. */
export const NOTE_TEXT = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip.";
