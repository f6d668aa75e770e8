// What `dts tail` shows: DTS Avro records with readable values; canal JSON as written.
import { describe, expect, it } from "vitest";
import { detectFormat, readableMessage } from "../../src/messages/readable.js";
import { splitObjectName } from "../../src/messages/dts-avro.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { objectName } from "../../src/runtime/encode/dts-avro.js";
import { column, ddl, pipeline, row } from "../encode/helpers.js";

const table = {
  database: "a.b", table: "t", primaryKey: ["id"], uniqueKeys: {},
  columns: [column("id", "int(11)"), column("ts", "timestamp(3)"), column("tm", "time"), column("bin", "varbinary(4)", { charset: "binary" }), column("y", "year(4)")],
};
const values = [5n, { kind: "timestamp" as const, epochSeconds: 1714557600, micros: 123000 }, "-01:00:00", new Uint8Array([1, 255]), 2024];

describe("readable messages", () => {
  it("shows a DTS Avro row with text values and unescaped names", () => {
    const [message] = createEncoder(pipeline("dts-avro")).encodeRows([row(table, "insert", null, values, 1714557600)]);
    expect(detectFormat(message!.value)).toBe("dts-avro");
    expect(readableMessage(message!.value)).toMatchObject({
      operation: "INSERT", database: "a.b", table: "t",
      after: { id: "5", ts: "2024-05-01T10:00:00.123000Z", tm: "-01:00:00", bin: "0x01ff", y: "2024" },
    });
  });

  it("shows DDL SQL text and canal messages as they are", () => {
    const [avro] = createEncoder(pipeline("dts-avro")).encodeDdl(ddl("d", "t", "DROP TABLE t", 0));
    expect(readableMessage(avro!.value)).toMatchObject({ operation: "DDL", after: "DROP TABLE t", fields: null });
    const [canal] = createEncoder(pipeline("canal-json")).encodeDdl(ddl("d", "t", "DROP TABLE t", 0));
    expect(detectFormat(canal!.value)).toBe("canal-json");
    expect(readableMessage(canal!.value)).toMatchObject({ isDdl: true, type: "ERASE", sql: "DROP TABLE t" });
  });

  it("escapes and unescapes dots inside object names", () => {
    expect(objectName("my.db", "t.x")).toBe("my\\u002Edb.t\\u002Ex");
    expect(splitObjectName(objectName("my.db", "t.x"))).toEqual(["my.db", "t.x"]);
  });
});
