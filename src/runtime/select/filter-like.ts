// `column LIKE 'pattern'` on the text the server matches for each column family: a DOUBLE or
// FLOAT as MariaDB writes it (`1e21`, not JavaScript's `1e+21`), a TIMESTAMP as its wall-clock
// text in the source's zone, YEAR with four digits, and binary strings (BINARY, VARBINARY,
// BLOB, BIT) as bytes.
import type { ColumnInfo, ColumnValue, TimestampValue } from "../change-event.js";
import { columnFamily } from "../encode/column-family.js";
import { timestampText, type ZoneClock } from "../encode/time-zone.js";
import { serverDoubleText, serverFloatText } from "./filter-number.js";
import { compileByteLike, compileLike } from "./like.js";

export type LikeMatch = (value: Exclude<ColumnValue, null>) => boolean;

/** A BIT value's bytes, big-endian, as many as the column's width needs (BIT(10) has 2). */
function bitBytes(value: bigint, width: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(1, Math.ceil(width / 8)));
  let rest = value;
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

function textOf(column: ColumnInfo, zone: ZoneClock): (value: Exclude<ColumnValue, null>) => string {
  switch (columnFamily(column)) {
    case "double":
      return (value) => serverDoubleText(value as number);
    case "float":
      return (value) => serverFloatText(value as number);
    case "year":
      return (value) => String(value).padStart(4, "0");
    case "timestamp":
      return (value) => timestampText(value as TimestampValue, column.fsp ?? 0, zone);
    default:
      return (value) => String(value);
  }
}

export function compileLikeMatch(column: ColumnInfo, pattern: string, zone: ZoneClock): LikeMatch {
  const family = columnFamily(column);
  if (family === "binary" || family === "geometry") {
    const like = compileByteLike(pattern);
    return (value) => value instanceof Uint8Array && like(value);
  }
  if (family === "bit") {
    const like = compileByteLike(pattern);
    const width = column.precision ?? 64;
    return (value) => like(bitBytes(BigInt(value as bigint | number), width));
  }
  const like = compileLike(pattern);
  const text = textOf(column, zone);
  return (value) => like(text(value));
}
