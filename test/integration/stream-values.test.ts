// Values the binlog stream once read otherwise than the initial sync: GEOMETRYCOLLECTION (which
// zongji names geomcollection), text in charsets iconv-lite lacks (dec8, keybcs2, geostd8, swe7,
// also as ENUM labels), utf8mb3 (named utf8 in DTS Avro) and a SET declaring ''. A copied row
// and the same row streamed must give the same messages, with the server's values, and the
// runtime's output must be JSON lines only (zongji printed a stack trace per dec8 value).
import { describe, expect, it } from "vitest";
import { decodeDtsAvro } from "../../src/messages/dts-avro.js";
import { readSettled, rule, stopChild, uniqueName, type ReadMessage } from "./runtime-helpers.js";
import { snapshotPlan, spawnRuntime, waitForPhase } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

// s holds 3: the labels '' and 'é' (the server shows 'é').
const VALUES = "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 1 2))'), 'éŒ', 'čšŘ', 'აბ№', 'åäÉ', 'ü', 'abc é', 3";
/** Text columns as the server returns them. */
const TEXT = { d8: "éŒ", kb: "čšŘ", g8: "აბ№", sw: "åäÉ", e8: "ü", u3: "abc é" };

type Json = Record<string, unknown>;
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v && typeof v === "object" && (v as Json).type === "Buffer" ? Buffer.from((v as { data: number[] }).data).toString("hex") : v)));

/** Rows messages of the table (the schema record left out): the copied one first. */
function rowsOf(format: "dts-avro" | "canal-json", messages: ReadMessage[]): Json[] {
  if (format === "canal-json") return messages.map((m) => JSON.parse(m.value.toString("utf8")) as Json).filter((m) => m.isDdl === false);
  return messages.map((m) => decodeDtsAvro(m.value).record as unknown as Json).filter((r) => r.operation !== "DDL");
}

describe("values the stream reads as the initial sync does", () => {
  const { database, db } = useTestDatabase("streamvalues", (database) => [
    `CREATE TABLE ${database}.t (id INT PRIMARY KEY, gc GEOMETRYCOLLECTION, d8 VARCHAR(10) CHARACTER SET dec8, kb VARCHAR(10) CHARACTER SET keybcs2,
       g8 VARCHAR(10) CHARACTER SET geostd8, sw VARCHAR(10) CHARACTER SET swe7, e8 ENUM('é','ü') CHARACTER SET dec8, u3 VARCHAR(10) CHARACTER SET utf8mb3,
       s SET('', 'é', 'ü'))`,
  ]);

  it.each(["dts-avro", "canal-json"] as const)("copies and streams the same row (%s)", async (format) => {
    await db().query(`DELETE FROM ${database}.t`);
    await db().query(`INSERT INTO ${database}.t VALUES (1, ${VALUES})`);
    const topic = uniqueName("streamvalues");
    const child = spawnRuntime(snapshotPlan(uniqueName("streamvalues"), topic, [rule(database, "t")], { chunkSize: 10, parallelism: 1 }, { format }));
    try {
      await waitForPhase(child, "streaming", 60_000);
      await db().query(`INSERT INTO ${database}.t VALUES (2, ${VALUES})`);
      const [copied, streamed] = rowsOf(format, await readSettled(topic, 3, 60_000)).map(plain) as Json[];
      const [[wkb]] = (await db().query({ sql: `SELECT HEX(ST_AsBinary(gc)) FROM ${database}.t WHERE id = 1`, rowsAsArray: true }))[0] as [[string]];
      if (format === "canal-json") {
        const [copiedRow, streamedRow] = [copied, streamed].map((m) => (m?.data as Json[])[0] as Json) as [Json, Json];
        expect({ ...streamedRow, id: "1" }).toEqual(copiedRow);
        // canal's bitmask of a SET is the one the server stores
        expect(streamedRow?.s).toBe("3");
        expect(copiedRow).toMatchObject({ ...TEXT, e8: "2" });
        expect(Buffer.from(copiedRow.gc as string, "latin1").toString("hex").slice(8).toUpperCase()).toBe(wkb);
        for (const field of ["mysqlType", "sqlType"]) expect(streamed?.[field], field).toEqual(copied?.[field]);
        expect([(copied?.mysqlType as Json).gc, (copied?.sqlType as Json).gc]).toEqual(["geometrycollection", 2004]);
      } else {
        const [copiedImage, streamedImage] = [copied, streamed].map((r) => (r?.afterImages as { array: Json[] }).array);
        expect(streamedImage?.slice(1)).toEqual(copiedImage?.slice(1));
        // DTS shows a SET as the server does
        expect(Object.values(copiedImage?.[8] as Json)[0]).toEqual({ type: "SET", value: "é" });
        const member = (i: number) => Object.values(copiedImage?.[i] as Json)[0] as Json;
        expect(member(1)).toEqual({ type: "GEOMETRYCOLLECTION", value: wkb.toLowerCase() });
        const texts = [2, 3, 4, 5, 7].map((i) => [member(i).charset, Buffer.from(member(i).value as string, "hex").toString("utf8")]);
        expect(texts).toEqual([["utf8mb4", TEXT.d8], ["utf8mb4", TEXT.kb], ["utf8mb4", TEXT.g8], ["utf8mb4", TEXT.sw], ["utf8", TEXT.u3]]);
        expect(member(6)).toEqual({ type: "ENUM", value: "ü" });
      }
      expect(child.stderr().split("\n").filter((line) => line !== "" && !line.startsWith("{"))).toEqual([]);
    } finally {
      await stopChild(child);
    }
  });
});
