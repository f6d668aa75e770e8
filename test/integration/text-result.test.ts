// SELECT rows kept as the server's bytes (snapshot/text-result.ts) against the real server: the
// byte reader hands every row to mysql2's own parser unchanged, and where a table's columns all
// have text readers, each value read from the bytes is the image value mysql2 and the converter
// give together, for every type of the matrix and the extreme values in it.
import mysql from "mysql2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MysqlSource } from "../../src/generated/plan.js";
import type { TableInfo } from "../../src/runtime/change-event.js";
import { selectImageConverters } from "../../src/runtime/source/column-values.js";
import { mysqlEndpoint } from "../../src/runtime/source/mysql-connection.js";
import { loadTableInfo, SNAPSHOT_SESSION_SQL, snapshotSelectList } from "../../src/runtime/source/table-schema.js";
import { queryText } from "../../src/runtime/snapshot/text-result.js";
import { readTextValue, textValueReaders } from "../../src/runtime/snapshot/text-values.js";
import { stackEnv } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";
import { columnsSql, rows } from "./type-matrix-data.js";
import { textMatrixSql } from "./type-matrix-text.js";

describe("SELECT rows as the server's bytes", () => {
  const { database, db } = useTestDatabase("text_rows", (database) => [
    "SET SESSION sql_mode = ''",
    `CREATE TABLE ${database}.matrix (${columnsSql}) DEFAULT CHARSET=utf8mb4`,
    `INSERT INTO ${database}.matrix VALUES ${rows.join(",\n")}`,
    ...textMatrixSql(database),
    `CREATE TABLE ${database}.zerofill (id INT PRIMARY KEY, n INT(6) ZEROFILL)`,
    `INSERT INTO ${database}.zerofill VALUES (1, 42)`,
    `CREATE TABLE ${database}.zerofill_decimal (id DECIMAL(8,2) ZEROFILL PRIMARY KEY)`,
    `INSERT INTO ${database}.zerofill_decimal VALUES (1.5), (123456.75)`,
  ]);
  let connection: mysql.Connection;

  beforeAll(async () => {
    const env = stackEnv();
    const source = { tls: { mode: "off" } } as MysqlSource;
    const login = { host: env.MYSQL_HOST as string, port: Number(env.MYSQL_PORT), user: env.MYSQL_ROOT_USER ?? "root", password: env.MYSQL_ROOT_PASSWORD ?? null };
    connection = mysql.createConnection(mysqlEndpoint(source, login).options);
    await connection.promise().query(SNAPSHOT_SESSION_SQL);
  });

  afterAll(async () => {
    await connection?.promise().end();
  });

  async function read(table: string): Promise<{ info: TableInfo; text: Awaited<ReturnType<typeof queryText>>; values: unknown[][] }> {
    const info = (await loadTableInfo(db(), database, table)) as TableInfo;
    const sql = `SELECT ${snapshotSelectList(info)} FROM \`${database}\`.\`${table}\` ORDER BY id`;
    const text = await queryText(connection, sql);
    const [values] = await connection.promise().query({ sql, rowsAsArray: true });
    return { info, text, values: values as unknown[][] };
  }

  it.each(["matrix", "matrix_text", "zerofill"])("hands every row of %s to mysql2's parser unchanged", async (table) => {
    const { text, values } = await read(table);
    expect(text.length).toBe(values.length);
    for (let row = 0; row < values.length; row++) expect(text.values(row)).toEqual(values[row]);
  });

  it("reads each value of the text matrix from its bytes as mysql2 and the converters do", async () => {
    const { info, text, values } = await read("matrix_text");
    const readers = textValueReaders(info, text.fields);
    expect(readers).not.toBeNull();
    const converters = selectImageConverters(info);
    for (let row = 0; row < values.length; row++) {
      const expected = (values[row] as unknown[]).map((raw, c) => (raw === null ? null : converters[c]?.(raw)));
      const actual = info.columns.map((_, c) => readTextValue(text, readers ?? [], row, c));
      expect({ row, values: actual }).toEqual({ row, values: expected });
    }
  });

  it("reads tables with FLOAT, DOUBLE or ZEROFILL columns as values", async () => {
    for (const table of ["matrix", "zerofill", "zerofill_decimal"]) {
      const { info, text } = await read(table);
      expect(textValueReaders(info, text.fields)).toBeNull();
    }
  });

  it("takes a ZEROFILL DECIMAL's padding off, as the binlog has the value", async () => {
    const { info, values } = await read("zerofill_decimal");
    const convert = selectImageConverters(info)[0] as (raw: unknown) => unknown;
    expect(values.map((row) => row[0])).toEqual(["000001.50", "123456.75"]);
    expect(values.map((row) => convert(row[0]))).toEqual(["1.50", "123456.75"]);
  });

  it("fails rather than returning short when a SELECT fails", async () => {
    await expect(queryText(connection, `SELECT nope FROM \`${database}\`.matrix`)).rejects.toThrow(/nope/);
  });
});
