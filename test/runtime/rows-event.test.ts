// zongji rows events → rows SourceEvents: the table map's description travels with the rows; a
// rows event without one, and zongji's failures to describe a table, stop the pipeline with
// the table, the place and the fix.
import type { TableMapEntry, TableMapEvent } from "@vlasky/zongji";
import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/runtime/errors.js";
import { noteTableMap, rowsSourceEvent, tableMetadataError, type ZongjiRowsEvent } from "../../src/runtime/source/rows-event.js";

const where = () => "from db:3306 (after mariadb-bin.000002:120)";

function zongjiTableMap(): { tableMap: Record<number, TableMapEntry>; event: TableMapEvent } {
  const entry: TableMapEntry = { columnSchemas: [{ COLUMN_NAME: "id", COLLATION_NAME: null, CHARACTER_SET_NAME: null, COLUMN_COMMENT: "", COLUMN_TYPE: "int" }], parentSchema: "shop", tableName: "orders", columns: [{ name: "id", charset: null, type: 3, metadata: {} }] };
  const tableMap = { 5: entry };
  const event = { tableId: 5, tableMap, schemaName: "shop", tableName: "orders", columnCount: 1, columnNames: ["id"], primaryKey: [0], hasSelfDescribingMetadata: () => true, hasAmbiguousTemporalColumns: () => false } as unknown as TableMapEvent;
  return { tableMap, event };
}

describe("rows events", () => {
  it("carry the description of the table map before them", () => {
    const { tableMap, event } = zongjiTableMap();
    noteTableMap(event, true);
    const rows = rowsSourceEvent("updaterows", { tableId: 5, tableMap, rows: [{ before: [1], after: [2] }] } as ZongjiRowsEvent, 7, where);
    expect(rows).toMatchObject({ type: "rows", kind: "update", database: "shop", table: "orders", timestampSeconds: 7 });
    expect((rows as { tableMap: { names: readonly string[] } }).tableMap.names).toEqual(["id"]);
  });

  it("with columns left out of an image (binlog_row_image MINIMAL in the writing session) are an error naming them", () => {
    const { tableMap, event } = zongjiTableMap();
    noteTableMap(event, true);
    const full = rowsSourceEvent("updaterows", { tableId: 5, tableMap, rows: [], columns_present_bitmap: Buffer.from([1]), columns_present_bitmap2: Buffer.from([1]) } as ZongjiRowsEvent, 7, where);
    expect(full).toMatchObject({ type: "rows" });
    const partial = rowsSourceEvent("updaterows", { tableId: 5, tableMap, rows: [], columns_present_bitmap: Buffer.from([1]), columns_present_bitmap2: Buffer.from([0]) } as ZongjiRowsEvent, 7, where);
    expect(partial).toBeInstanceOf(RuntimeError);
    expect((partial as RuntimeError).code).toBe("source-settings");
    expect((partial as RuntimeError).message).toMatch(/^rows of shop\.orders in the binlog stream from db:3306 .* without the columns id \(binlog_row_image MINIMAL or NOBLOB/);
  });

  it("without a table map are an error, not a skip", () => {
    const { tableMap } = zongjiTableMap();
    const error = rowsSourceEvent("writerows", { tableId: 6, tableMap, rows: [[1]] } as ZongjiRowsEvent, 7, where);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).retriable).toBe(false);
    expect((error as RuntimeError).message).toMatch(/db:3306 .*mariadb-bin\.000002:120.*\(insert\) for table id 6/);
    expect((error as RuntimeError).hint).toMatch(/transaction boundary/);
  });
});

describe("zongji's failures to describe a table", () => {
  it("name the table and the fix when information_schema does not show it", () => {
    const error = tableMetadataError(new Error("Insufficient permissions to access: shop.gone"), where());
    expect(error?.code).toBe("source-settings");
    expect(error?.retriable).toBe(false);
    expect(error?.message).toMatch(/rows of shop\.gone.*binlog_row_metadata is not FULL/);
    expect(error?.hint).toMatch(/GRANT SELECT.*binlog_row_metadata = FULL/);
  });

  it("name the table and the fix when its columns changed since the rows", () => {
    const error = tableMetadataError(new Error("Table shop.t schema changed between binlog event and metadata fetch: the event has 4 columns, fetched metadata has 3"), where());
    expect(error?.message).toMatch(/rows of shop\.t written before its columns changed/);
  });

  it("leave other errors alone", () => {
    expect(tableMetadataError(new Error("connect ECONNREFUSED"), where())).toBeNull();
  });
});
