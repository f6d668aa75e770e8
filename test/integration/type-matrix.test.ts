// Every column type through the real binlog (zongji, rows read as the runtime reads them) and through SELECT: both readers convert to
// the same canonical values, both encoders produce the same bytes from either, and the values
// equal what the server itself shows.
import { randomInt, randomUUID } from "node:crypto";
import ZongJi, { type AnyBinlogEvent } from "@vlasky/zongji";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ColumnInfo, RowChange, RowImage, TableInfo } from "../../src/runtime/change-event.js";
import { columnFamily } from "../../src/runtime/encode/column-family.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { decodeDtsAvro, dtsRecordToEvent } from "../../src/messages/dts-avro.js";
import { decodeCanalJson } from "../../src/messages/canal-json.js";
import { convertBinlogValue, convertSelectValue } from "../../src/runtime/source/column-values.js";
import { loadTableInfo, SNAPSHOT_SESSION_SQL, snapshotSelectList } from "../../src/runtime/source/table-schema.js";
import { installZongjiFixes } from "../../src/runtime/source/zongji-fixes.js";
import type { Pipeline } from "../../src/generated/plan.js";
import { loadStackEnv } from "./stack-env.js";
import { columnsSql, rows } from "./type-matrix-data.js";

const stack = loadStackEnv(inject("stackEnvPath"));
const database = `types_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const table = "matrix";

const connectionOptions = {
  host: stack.mysql.host, port: stack.mysql.port, user: stack.mysql.rootUser, password: stack.mysql.rootPassword,
  dateStrings: true, timezone: "Z", supportBigNumbers: true, bigNumberStrings: true, jsonStrings: true, charset: "utf8mb4",
} as const;

function pipelineFor(format: Pipeline["format"]): Pipeline {
  return { format, source: { timezone: "+00:00" }, partition: { policy: "primary-key-hash" } } as unknown as Pipeline;
}

/** Comparable form of canonical values (Buffers and Uint8Arrays alike). */
function comparable(image: RowImage): unknown[] {
  return image.map((v) => (v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString("hex")}` : v));
}

/** The server's own text for a column, and how to read our canal text for the comparison. */
function serverText(column: ColumnInfo): { sql: string; fromCanal: (t: string) => string; normalize?: (t: string) => string } {
  const q = `\`${column.name}\``;
  switch (columnFamily(column)) {
    case "float":
      return { sql: `CAST(${q} AS DOUBLE)`, fromCanal: (t) => t, normalize: (t) => String(Math.fround(Number(t))) };
    case "double":
      // The stored double, as the binlog holds it: the server's text of a DOUBLE(M,D) keeps D decimals.
      return { sql: `CAST(CAST(${q} AS DOUBLE) AS CHAR)`, fromCanal: (t) => t, normalize: (t) => (Object.is(Number(t), -0) ? "-0" : String(Number(t))) };
    case "bit":
    case "enum":
    case "set":
      return { sql: `CAST(${q} + 0 AS CHAR)`, fromCanal: (t) => t };
    case "binary":
      return { sql: `HEX(${q})`, fromCanal: (t) => Buffer.from(t, "latin1").toString("hex").toUpperCase() };
    case "geometry":
      return { sql: `HEX(ST_AsBinary(${q}))`, fromCanal: (t) => Buffer.from(t, "latin1").subarray(4).toString("hex").toUpperCase() };
    default:
      return { sql: `CAST(${q} AS CHAR)`, fromCanal: (t) => t };
  }
}

describe("type matrix: binlog and SELECT agree through both encoders", () => {
  let conn: mysql.Connection;
  let info: TableInfo;
  const binlogImages: { image: RowImage; timestamp: number }[] = [];
  const binlogUpdates: { before: RowImage; after: RowImage }[] = [];
  let beforeUpdate: RowImage;
  /** SELECT results and server texts of the inserted rows, taken before the UPDATE. */
  let selectedAtInsert: RowImage[];
  let serverTextsAtInsert: Record<string, string | null>[];

  beforeAll(async () => {
    conn = await mysql.createConnection(connectionOptions);
    await conn.query(SNAPSHOT_SESSION_SQL);
    await conn.query("SET SESSION sql_mode = ''");
    await conn.query(`CREATE DATABASE \`${database}\``);
    await conn.query(`CREATE TABLE \`${database}\`.\`${table}\` (${columnsSql}) DEFAULT CHARSET=utf8mb4`);
    info = (await loadTableInfo(conn, database, table)) as TableInfo;

    // The runtime's own row reading (zongji-fixes.ts): rows come by column position.
    await installZongjiFixes();
    const zongji = new ZongJi(connectionOptions);
    const received = new Promise<void>((resolve, reject) => {
      zongji.on("error", reject);
      zongji.on("binlog", (event: AnyBinlogEvent) => {
        const toImage = (raw: Record<number, unknown>) => info.columns.map((c, i) => convertBinlogValue(raw[i], c));
        if (event.getEventName() === "updaterows") {
          for (const pair of (event as unknown as { rows: { before: Record<string, unknown>; after: Record<string, unknown> }[] }).rows) {
            binlogUpdates.push({ before: toImage(pair.before), after: toImage(pair.after) });
          }
          resolve();
        }
        if (event.getEventName() !== "writerows") return;
        for (const raw of (event as unknown as { rows: Record<string, unknown>[] }).rows) {
          binlogImages.push({ image: toImage(raw), timestamp: Math.floor(event.timestamp / 1000) });
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      zongji.once("ready", () => resolve());
      zongji.once("error", reject);
      zongji.start({ serverId: randomInt(10_000, 60_000), startAtEnd: true, includeEvents: ["tablemap", "writerows", "updaterows"], includeSchema: { [database]: [table] } });
    });
    for (const row of rows) await conn.query(`INSERT INTO \`${database}\`.\`${table}\` VALUES ${row}`);
    selectedAtInsert = await selectImages();
    beforeUpdate = selectedAtInsert[0] as RowImage;
    // The server renders TIMESTAMP in the session zone; canal text must match it in that zone.
    await conn.query("SET time_zone = '+08:00'");
    const [texts] = await conn.query(`SELECT ${info.columns.map((c, i) => `${serverText(c).sql} AS c${i}`).join(", ")} FROM \`${database}\`.\`${table}\` ORDER BY id`);
    serverTextsAtInsert = texts as Record<string, string | null>[];
    await conn.query(SNAPSHOT_SESSION_SQL);
    await conn.query(`UPDATE \`${database}\`.\`${table}\` SET ts6 = '2001-02-03 04:05:06.7', d65 = d65 + 1, en = 'b', vc = '𝄞' WHERE id = 1`);
    await Promise.race([received, new Promise((_, reject) => setTimeout(() => reject(new Error("binlog rows did not arrive in 30 s")), 30_000))]);
    zongji.stop();
  });

  afterAll(async () => {
    await conn?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn?.end();
  });

  async function selectImages(): Promise<RowImage[]> {
    const [result] = await conn.query(`SELECT ${snapshotSelectList(info)} FROM \`${database}\`.\`${table}\` ORDER BY id`);
    return (result as Record<string, unknown>[]).map((raw) => info.columns.map((c) => convertSelectValue(raw[c.name], c)));
  }

  function change(image: RowImage, eventTimeSeconds: number): RowChange {
    return {
      kind: "row", operation: "insert", snapshot: false, table: info, before: null, after: image, eventTimeSeconds,
      position: { file: "mysql-bin.000001", offset: 4, gtid: null }, transactionId: "", serverVersion: "10.11",
    };
  }

  it("converts an UPDATE's binlog images to the SELECT values before and after it", async () => {
    expect(binlogUpdates).toHaveLength(1);
    const [{ before, after }] = binlogUpdates as [{ before: RowImage; after: RowImage }];
    expect(comparable(before)).toEqual(comparable(beforeUpdate));
    expect(comparable(after)).toEqual(comparable((await selectImages())[0] as RowImage));
    const encoder = createEncoder(pipelineFor("canal-json"), { nowMs: () => 1 });
    const update: RowChange = { ...change(after, 0), operation: "update", before };
    const message = decodeCanalJson(encoder.encodeRows([update])[0]!.value);
    expect(Object.keys(message.old![0]!).sort()).toEqual(["d65", "en", "ts6", "vc"]);
  });

  it("converts binlog rows and SELECT rows to the same canonical values", () => {
    const selected = selectedAtInsert;
    expect(binlogImages.map((b) => comparable(b.image))).toEqual(selected.map(comparable));
  });

  it("encodes identical bytes from either reader, in both formats", () => {
    const selected = selectedAtInsert;
    for (const format of ["dts-avro", "canal-json"] as const) {
      const fromBinlog = createEncoder(pipelineFor(format), { nowMs: () => 1 });
      const fromSelect = createEncoder(pipelineFor(format), { nowMs: () => 1 });
      binlogImages.forEach(({ image, timestamp }, i) => {
        const a = fromBinlog.encodeRows([change(image, timestamp)]);
        const b = fromSelect.encodeRows([change(selected[i] as RowImage, timestamp)]);
        expect(a.map((m) => m.value.toString("hex"))).toEqual(b.map((m) => m.value.toString("hex")));
        expect(a.map((m) => m.key?.toString())).toEqual(b.map((m) => m.key?.toString()));
      });
    }
  });

  it("renders values in canal JSON exactly as the server shows them", () => {
    const expressions = info.columns.map(serverText);
    const server = serverTextsAtInsert;
    const encoder = createEncoder(pipelineFor("canal-json"), { nowMs: () => 1, timeZone: "+08:00" });
    binlogImages.forEach(({ image, timestamp }, r) => {
      const message = decodeCanalJson(encoder.encodeRows([change(image, timestamp)])[0]!.value);
      const data = message.data![0]!;
      info.columns.forEach((column, i) => {
        const ours = data[column.name] ?? null;
        const theirs = server[r]![`c${i}`] ?? null;
        const { fromCanal, normalize = (t: string) => t } = expressions[i]!;
        const value = ours === null ? null : normalize(fromCanal(ours));
        expect({ column: column.name, value }).toEqual({ column: column.name, value: theirs === null ? null : normalize(theirs) });
      });
    });
  });

  it("decodes the DTS Avro bytes back to the SELECT values", () => {
    const selected = selectedAtInsert;
    const encoder = createEncoder(pipelineFor("dts-avro"));
    binlogImages.forEach(({ image, timestamp }, i) => {
      const { record } = decodeDtsAvro(encoder.encodeRows([change(image, timestamp)])[0]!.value);
      const event = dtsRecordToEvent(record, info) as RowChange;
      // DTS Avro carries geometry as plain WKB, without the SRID (docs/formats.md, DTS Avro).
      const expected = (selected[i] as RowImage).map((v, c) => (v instanceof Uint8Array && columnFamily(info.columns[c]!) === "geometry" ? Buffer.concat([Buffer.alloc(4), v.subarray(4)]) : v));
      expect(comparable(event.after as RowImage)).toEqual(comparable(expected));
    });
  });
});
