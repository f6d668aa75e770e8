// Groups MySQL column types into the families the encoders render alike. Computed once per
// ColumnInfo and cached, so the per-row hot path never re-reads type names.
import type { ColumnInfo } from "../change-event.js";

export type ColumnFamily =
  | "integer" | "bit" | "decimal" | "float" | "double"
  | "date" | "datetime" | "timestamp" | "time" | "year"
  | "text" | "binary" | "json" | "enum" | "set" | "geometry";

const byDataType: Record<string, ColumnFamily> = {
  tinyint: "integer", smallint: "integer", mediumint: "integer", int: "integer", integer: "integer", bigint: "integer",
  bit: "bit", decimal: "decimal", numeric: "decimal", float: "float", double: "double", real: "double",
  date: "date", datetime: "datetime", timestamp: "timestamp", time: "time", year: "year",
  char: "text", varchar: "text", tinytext: "text", text: "text", mediumtext: "text", longtext: "text",
  binary: "binary", varbinary: "binary", tinyblob: "binary", blob: "binary", mediumblob: "binary", longblob: "binary",
  json: "json", enum: "enum", set: "set",
  geometry: "geometry", point: "geometry", linestring: "geometry", polygon: "geometry", multipoint: "geometry",
  // MySQL 8 names GEOMETRYCOLLECTION `geomcollection` (in information_schema and in zongji's binlog descriptions).
  multilinestring: "geometry", multipolygon: "geometry", geometrycollection: "geometry", geomcollection: "geometry",
  // MariaDB logical types travel as text in both the binlog reader and query results.
  uuid: "text", inet4: "text", inet6: "text",
};

const cache = new WeakMap<ColumnInfo, ColumnFamily>();

export function columnFamily(column: ColumnInfo): ColumnFamily {
  let family = cache.get(column);
  if (family === undefined) {
    family = byDataType[column.dataType.toLowerCase()] ?? "text";
    // CHAR/VARCHAR/TEXT declared with the binary charset hold bytes, not characters.
    if (family === "text" && column.charset === "binary") family = "binary";
    cache.set(column, family);
  }
  return family;
}

/** Whether a binary-family column is a BLOB (rather than BINARY/VARBINARY), by its data type. */
export function isBlobType(column: ColumnInfo): boolean {
  return column.dataType.toLowerCase().endsWith("blob") || column.dataType.toLowerCase().endsWith("text");
}
