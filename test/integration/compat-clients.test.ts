// The real consumers of our two formats read a real pipeline's topics: Alibaba's DTS SDK on DTS
// Avro, canal's FlatMessage (fastjson2) and Flink's canal-json format on Canal JSON. Every
// column type goes through an initial sync, inserts, an update of every column and deletes, and
// every value each client shows is held against what the server itself returns for that row.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import type { ColumnInfo, TableInfo } from "../../src/runtime/change-event.js";
import { loadTableInfo } from "../../src/runtime/source/table-schema.js";
import { decodeTopics, prepareCompatClients, type ClientResult, type CompatClient, type DecodedLine } from "../compat/clients.js";
import { compare, serverExpressions, type ServerValue } from "../compat/expected.js";
import { readSettled, rule, stackEnv, startInProcess, uniqueName } from "./runtime-helpers.js";
import { snapshotPlan } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";
import { columnsSql, rows } from "./type-matrix-data.js";

/**
 * The matrix table as a Flink user declares it for canal-json: each MySQL type mapped to the
 * Flink type that holds its range. STRING where Flink's type cannot hold the matrix's values:
 * zero dates (dt, dtm), TIME beyond 24 h or negative, DECIMAL(65) beyond Flink's 38 digits, and
 * binary data (canal writes bytes as ISO-8859-1 text, which Flink's BYTES would read as base64).
 */
const FLINK_TYPES: Record<string, string> = {
  id: "INT", ti: "TINYINT", tiu: "SMALLINT", si: "SMALLINT", siu: "INT", mi: "INT", miu: "INT", i: "INT", iu: "BIGINT",
  bi: "BIGINT", bu: "DECIMAL(20, 0)", d65: "STRING", d2: "DECIMAL(10, 2)", f: "FLOAT", db: "DOUBLE", bt64: "DECIMAL(20, 0)",
  bt1: "TINYINT", dt: "STRING", dtm: "STRING", dtm6: "TIMESTAMP(6)", ts6: "TIMESTAMP(6)", ts0: "TIMESTAMP(0)", tm: "STRING",
  tm3: "STRING", yr: "INT", c: "STRING", vc: "STRING", vl: "STRING", tx: "STRING", lt: "STRING", bn: "STRING", vb: "STRING",
  bl: "STRING", js: "STRING", en: "INT", st: "BIGINT", gm: "STRING", gg: "STRING", dbm: "DOUBLE",
};

/**
 * The `dataTypeNumber` of each matrix column: MySQL's classic codes for TIMESTAMP/DATETIME/TIME
 * (docs/formats.md says why). MariaDB's JSON is a LONGTEXT, so it is 252 like any TEXT.
 */
const DTS_TYPE_NUMBERS: Record<string, number> = {
  id: 3, ti: 1, tiu: 1, si: 2, siu: 2, mi: 9, miu: 9, i: 3, iu: 3, bi: 8, bu: 8, d65: 246, d2: 246, f: 4, db: 5, bt64: 16, bt1: 16,
  dt: 10, dtm: 12, dtm6: 12, ts6: 7, ts0: 7, tm: 11, tm3: 11, yr: 13, c: 254, vc: 15, vl: 15, tx: 252, lt: 252,
  bn: 254, vb: 15, bl: 252, js: 252, en: 247, st: 248, gm: 255, gg: 255, dbm: 5,
};

type ServerRow = Record<string, ServerValue>;
type Stage = "inserted" | "final";
type Format = "dts-avro" | "canal-json";

describe("real clients decode our topics as the server shows the rows", () => {
  const test = useTestDatabase("compat", (database) => [`CREATE TABLE \`${database}\`.\`matrix\` (${columnsSql}) DEFAULT CHARSET=utf8mb4`]);
  let info: TableInfo;
  /** The server's rows after the inserts (what INIT/INSERT and UPDATE-before show) and after the updates. */
  const server: Record<Stage, Map<number, ServerRow>> = { inserted: new Map(), final: new Map() };
  const decoded = {} as Record<Format, DecodedLine[]>;
  /** The canal pipeline's captured DDL, in a topic of its own. */
  let ddlLines: DecodedLine[] = [];

  async function serverRows(): Promise<Map<number, ServerRow>> {
    const list = info.columns.flatMap((c, i) => serverExpressions(c, `c${i}`)).join(", ");
    const [result] = await test.db().query(`SELECT id, ${list} FROM \`${test.database}\`.\`matrix\` ORDER BY id`);
    const byId = new Map<number, ServerRow>();
    for (const raw of result as Record<string, string | null>[]) {
      const row: ServerRow = {};
      info.columns.forEach((c, i) => (row[c.name] = { text: raw[`c${i}.text`] ?? null, hex: raw[`c${i}.hex`] ?? null, number: raw[`c${i}.number`] ?? null }));
      byId.set(Number(raw.id), row);
    }
    return byId;
  }

  const copyRow = (from: number, to: number) => {
    const set = info.columns.filter((c) => c.name !== "id").map((c) => `a.\`${c.name}\` = b.\`${c.name}\``).join(", ");
    return `UPDATE \`${test.database}\`.\`matrix\` AS a JOIN \`${test.database}\`.\`matrix\` AS b ON b.id = ${from} SET ${set} WHERE a.id = ${to}`;
  };

  beforeAll(async () => {
    const classPath = prepareCompatClients();
    const db = test.db();
    // Zero dates are part of the matrix; TIMESTAMP text is compared in the pipeline's zone (UTC).
    await db.query("SET SESSION sql_mode = '', time_zone = '+00:00'");
    const table = `\`${test.database}\`.\`matrix\``;
    for (const row of rows.slice(0, 2)) await db.query(`INSERT INTO ${table} VALUES ${row}`);
    info = (await loadTableInfo(db, test.database, "matrix")) as TableInfo;
    const topics: Record<Format, string> = { "dts-avro": uniqueName("compat_avro"), "canal-json": uniqueName("compat_canal") };
    const ddlTopic = uniqueName("compat_canal_ddl");
    const runtimes = await Promise.all((["dts-avro", "canal-json"] as const).map((format) => {
      const plan = snapshotPlan(uniqueName(`compat_${format}`), topics[format], [rule(test.database, "matrix")], { schema: false, data: true }, { format });
      const pipeline = plan.pipelines[0] as Pipeline;
      if (format === "canal-json") Object.assign(pipeline, { ddl: "capture", destination: { ...pipeline.destination, ddlTopic } });
      return startInProcess(plan);
    }));
    for (const row of rows.slice(2)) await db.query(`INSERT INTO ${table} VALUES ${row}`);
    server.inserted = await serverRows();
    // Row 3 goes from all NULL to row 2's values, row 4 to row 1's: every column changes.
    await db.query(copyRow(2, 3));
    await db.query(copyRow(1, 4));
    server.final = await serverRows();
    await db.query(`DELETE FROM ${table} WHERE id IN (2, 4)`);
    await db.query(`ALTER TABLE ${table} COMMENT = 'compat'`);
    await db.query(`TRUNCATE TABLE ${table}`);
    // 2 initial-sync rows, 2 inserts, 2 updates, 2 deletes: one message each in both formats.
    await Promise.all([...Object.values(topics).map((topic) => readSettled(topic, 8)), readSettled(ddlTopic, 2)]);
    await Promise.all(runtimes.map((r) => r.stop()));

    const brokers = stackEnv().KAFKA_BROKERS as string;
    const flinkSchema = join(mkdtempSync(join(tmpdir(), "dts-compat-")), "flink-columns.txt");
    writeFileSync(flinkSchema, info.columns.map((c) => `${c.name} ${FLINK_TYPES[c.name]}`).join("\n"));
    const cp = await classPath;
    let canalLines: DecodedLine[];
    [decoded["dts-avro"], canalLines] = await Promise.all([
      decodeTopics(cp, brokers, ["dts-sdk"], [topics["dts-avro"]]),
      decodeTopics(cp, brokers, ["canal", "flink"], [topics["canal-json"], ddlTopic], flinkSchema),
    ]);
    // DTS_COMPAT_DUMP=<file> keeps every client's output for reading.
    if (process.env.DTS_COMPAT_DUMP) writeFileSync(process.env.DTS_COMPAT_DUMP, [...decoded["dts-avro"], ...canalLines].map((l) => JSON.stringify(l)).join("\n"));
    decoded["canal-json"] = canalLines.filter((line) => line.topic === topics["canal-json"]);
    ddlLines = canalLines.filter((line) => line.topic === ddlTopic);
  }, 300_000);

  /** Each client's message per Kafka message; a client that failed on one is a test failure naming it. */
  function messagesOf(format: Format, client: CompatClient): { where: string; message: Record<string, unknown> }[] {
    return decoded[format].map((line) => {
      const result = line.clients[client] as ClientResult;
      const where = `${client} message ${line.partition}:${line.offset}`;
      if (!result.message) throw new Error(`${where} failed to decode: ${result.error}`);
      return { where, message: result.message };
    });
  }

  /** Mismatches of one row image, one line per column: where, both values. */
  function check(client: CompatClient, image: Record<string, unknown>, stage: Stage, where: string): string[] {
    // The SDK's values are {cls, text, hex}; canal's and Flink's are text.
    const id = Number(typeof image.id === "object" && image.id !== null ? (image.id as { text: string }).text : image.id);
    const row = server[stage].get(id);
    if (!row) return [`${where}: row id ${id} is not a row the server had (${stage})`];
    return info.columns.flatMap((column: ColumnInfo) => {
      const { expected, actual } = compare(client, column, row[column.name] as ServerValue, image[column.name], FLINK_TYPES[column.name]);
      return expected === actual ? [] : [`${where} id=${id} column ${column.name}: server ${JSON.stringify(expected)}, ${client} ${JSON.stringify(actual)}`];
    });
  }

  it("Alibaba's DTS SDK shows every value of every record as the server does", () => {
    const messages = messagesOf("dts-avro", "dts-sdk");
    expect(messages.map(({ message: m }) => `${m.operation}:${m.sdkOperation}`)).toEqual([
      "INIT:UNKNOWN", "INIT:UNKNOWN", "INSERT:INSERT", "INSERT:INSERT", "UPDATE:UPDATE", "UPDATE:UPDATE", "DELETE:DELETE", "DELETE:DELETE",
    ]);
    const mismatches = messages.flatMap(({ where, message: m }) => {
      const before = m.before as Record<string, unknown> | null;
      const after = m.after as Record<string, unknown> | null;
      return [
        ...(before ? check("dts-sdk", before, m.operation === "DELETE" ? "final" : "inserted", `${where} ${m.operation} before`) : []),
        ...(after ? check("dts-sdk", after, m.operation === "UPDATE" ? "final" : "inserted", `${where} ${m.operation} after`) : []),
      ];
    });
    expect(mismatches).toEqual([]);
  });

  it("canal's FlatMessage shows every value of every message as the server does", () => {
    const messages = messagesOf("canal-json", "canal");
    expect(messages.map(({ message: m }) => m.type)).toEqual(["INSERT", "INSERT", "INSERT", "INSERT", "UPDATE", "UPDATE", "DELETE", "DELETE"]);
    const mismatches = messages.flatMap(({ where, message: m }) => {
      const data = m.data as Record<string, unknown>[];
      const old = (m.old as Record<string, unknown>[] | null) ?? [];
      return data.flatMap((row, i) => [
        ...check("canal", row, m.type === "INSERT" ? "inserted" : "final", `${where} ${m.type} data`),
        ...(m.type === "UPDATE" ? check("canal", { ...row, ...old[i] }, "inserted", `${where} UPDATE data+old`) : []),
      ]);
    });
    expect(mismatches).toEqual([]);
  });

  it("Flink's canal-json format turns every message into the right changelog rows with the server's values", () => {
    const rowsOut = messagesOf("canal-json", "flink").flatMap(({ where, message }) =>
      (message.rows as { kind: string; values: Record<string, unknown> }[]).map((r) => ({ where, ...r })));
    expect(rowsOut.map((r) => r.kind)).toEqual(["+I", "+I", "+I", "+I", "-U", "+U", "-U", "+U", "-D", "-D"]);
    const mismatches = rowsOut.flatMap((r) => check("flink", r.values, r.kind === "+I" || r.kind === "-U" ? "inserted" : "final", `${r.where} ${r.kind}`));
    expect(mismatches).toEqual([]);
  });

  it("the SDK reads classic MySQL type numbers for temporal columns and sees INIT rows as UNKNOWN", () => {
    const [first] = messagesOf("dts-avro", "dts-sdk");
    const numbers = Object.fromEntries((first?.message.fields as { name: string; dataTypeNumber: number }[]).map((f) => [f.name, f.dataTypeNumber]));
    expect(numbers).toEqual(DTS_TYPE_NUMBERS);
  });

  it("canal's client reads the key-per-row messages; unsigned columns report the widened sqlType", () => {
    for (const line of decoded["canal-json"]) {
      const message = line.clients.canal?.message as { data: { id: string }[]; sqlType: Record<string, number> };
      expect(JSON.parse(line.key as string)).toEqual([test.database, "matrix", message.data[0]?.id]);
      expect([message.sqlType.tiu, message.sqlType.siu, message.sqlType.miu, message.sqlType.iu, message.sqlType.bu]).toEqual([5, 4, 4, -5, 3]);
    }
  });

  it("Flink's canal-json format fails on DDL other than CREATE, which is why DDL belongs in its own topic", () => {
    expect(ddlLines.map((line) => (line.clients.canal?.message as { type: string }).type)).toEqual(["ALTER", "TRUNCATE"]);
    expect(ddlLines.map((line) => line.clients.flink?.error ?? "decoded")).toEqual([expect.stringContaining("ALTER"), expect.stringContaining("TRUNCATE")]);
  });
});
