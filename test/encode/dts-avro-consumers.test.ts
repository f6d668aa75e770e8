// What DTS's own consumers require of a record, found by decoding our topics with Alibaba's SDK
// (test/integration/compat-clients.test.ts) and pinned here byte for byte: GEOMETRY as plain WKB
// and the classic MySQL type numbers for the temporal columns (docs/formats.md, DTS Avro).
import { describe, expect, it } from "vitest";
import type { TableInfo } from "../../src/runtime/change-event.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { decodeDtsAvro, dtsRecordToEvent } from "../../src/messages/dts-avro.js";
import { column, pipeline, row } from "./helpers.js";

const table: TableInfo = {
  database: "geo", table: "places",
  columns: [column("id", "int(11)"), column("at", "point", { charset: "binary" }), column("seen", "datetime(6)"), column("stamp", "timestamp(3)"), column("span", "time"), column("day", "date")],
  primaryKey: ["id"], uniqueKeys: {},
};
// POINT(1.5 -2.25) as MySQL stores it: SRID 0, then little-endian WKB.
const wkb = "0101000000000000000000F83F00000000000002C0";
const point = Buffer.from(`00000000${wkb}`, "hex");
const values = [1n, new Uint8Array(point), "2024-05-01 10:00:00.123456", { kind: "timestamp" as const, epochSeconds: 1714557600, micros: 123000 }, "-01:00:00", "2024-05-01"];

function encoded() {
  const [message] = createEncoder(pipeline("dts-avro")).encodeRows([row(table, "insert", null, values, 1714557600)]);
  return decodeDtsAvro(message!.value).record;
}

describe("DTS Avro as DTS's consumers read it", () => {
  it("writes GEOMETRY as plain WKB, without MySQL's SRID prefix, and reads it back to the canonical bytes", () => {
    const record = encoded();
    const images = record.afterImages as { array: Record<string, { value: Buffer }>[] };
    const geometry = images.array[1]?.["com.alibaba.dts.formats.avro.BinaryGeometry"];
    expect(geometry?.value.toString("hex").toUpperCase()).toBe(wkb);
    const event = dtsRecordToEvent(record, table);
    expect(event.kind === "row" && Buffer.from(event.after?.[1] as Uint8Array).equals(point)).toBe(true);
  });

  it("numbers TIMESTAMP, DATETIME and TIME with the classic codes 7, 12 and 11", () => {
    const fields = (encoded().fields as { array: { name: string; dataTypeNumber: number }[] }).array;
    expect(fields.map((f) => [f.name, f.dataTypeNumber])).toEqual([["id", 3], ["at", 255], ["seen", 12], ["stamp", 7], ["span", 11], ["day", 10]]);
  });
});
