// MariaDB FULL table maps with classic temporal type codes, from binlog events recorded on
// MariaDB 10.11 (binlog_row_metadata=FULL) for tables created under mysql56_temporal_format=OFF,
// so their DATETIME, TIME and TIMESTAMP columns are in MariaDB's 5.3 formats. Their rows are read
// after later DDL: decoded with the binlog's own columns, and information_schema only asked for
// the temporal columns' precision, by name.
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import ZongJi, { type TableMapEntry, type TableMapEvent } from "@vlasky/zongji";
import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/runtime/errors.js";
import { tableMapFromZongji } from "../../src/runtime/source/table-map.js";
import { installZongjiFixes } from "../../src/runtime/source/zongji-fixes.js";

/**
 * CREATE TABLE old_e (id INT PRIMARY KEY, ts TIMESTAMP NULL, st ENUM('new','paid','shipped'),
 * tags SET('a','b','c'), amount DECIMAL(10,2), b VARCHAR(20) CHARACTER SET latin1, dt DATETIME,
 * dt3 DATETIME(3), tm TIME, tm4 TIME(4), ts2 TIMESTAMP(2) NULL, dt6 DATETIME(6), n INT DEFAULT 0)
 * and the table map and rows of one INSERT (event bodies, without header and checksum).
 */
const OLD_E = {
  tableMap:
    "16000000000001000372656300056f6c645f65000d0307fefef60f0c0c0b0b070c0308f701f8010a021400fe1f010100020108042f026964027473027374047461677306616d6f756e7401620264740364743302746d03746d340374733203647436016e0a012d050703016101620163061203036e657704706169640773686970706564080100",
  writeRows:
    "16000000000001000dff1f00e001000000208d926502058000000c2204636166e9457c17846812000000422a83bcc32ec01dfe0706144f79663881d90c010294148e4c8d8600000000",
};
const OLD_E_ROW = [1, "2024-01-01 10:00:00", "paid", "a,c", "12.34", "café", "2024-01-02 03:04:05", "2024-01-02 03:04:05.678", "-12:34:56", "-01:02:03.4567", "2024-05-06 07:08:09.12", "2024-12-31 23:59:58.987654", 0];

/** information_schema after ALTER TABLE old_e MODIFY st ENUM('cancelled','new','paid','shipped'), MODIFY tags SET('z','a','b','c'), MODIFY b VARCHAR(20) CHARACTER SET utf8mb4, ADD COLUMN x INT AFTER id, DROP COLUMN tm (the same column count). */
const OLD_E_ALTERED: [string, string | null, string][] = [
  ["id", null, "int(11)"], ["x", null, "int(11)"], ["ts", null, "timestamp"], ["st", "utf8mb4", "enum('cancelled','new','paid','shipped')"],
  ["tags", "utf8mb4", "set('z','a','b','c')"], ["amount", null, "decimal(10,2)"], ["b", "utf8mb4", "varchar(20)"], ["dt", null, "datetime"],
  ["dt3", null, "datetime(3)"], ["tm4", null, "time(4)"], ["ts2", null, "timestamp(2)"], ["dt6", null, "datetime(6)"], ["n", null, "int(11)"],
];

/** CREATE TABLE old_x (id INT PRIMARY KEY, dt DATETIME, v VARCHAR(10), tm TIME, ts TIMESTAMP NULL) and an INSERT of two rows. */
const OLD_X = {
  tableMap: "0d010000000001000372656300056f6c645f780005030c0f0b070228001e0101000201e0040e026964026474017602746d027473080100",
  writeRows: "0d01000000000100051fe00100000040c30784681200000161590a8072bbbd65f8020000007787d105f15a00000162",
};

/** information_schema.COLUMNS rows, answered to zongji's full query and to the temporal columns' one. */
function informationSchema(columns: [string, string | null, string][]) {
  return (sql: string): object[] =>
    sql.includes("DATETIME_PRECISION")
      ? columns.flatMap(([name, , type]) => {
          const temporal = /^(datetime|timestamp|time)(?:\((\d)\))?/.exec(type);
          return temporal ? [{ COLUMN_NAME: name, DATA_TYPE: temporal[1], DATETIME_PRECISION: Number(temporal[2] ?? 0) }] : [];
        })
      : columns.map(([name, charset, type]) => ({ COLUMN_NAME: name, COLLATION_NAME: null, CHARACTER_SET_NAME: charset, COLUMN_COMMENT: "", COLUMN_TYPE: type }));
}

const zongjiLib = async <T>(file: string): Promise<T> =>
  (await import(pathToFileURL(join(dirname(createRequire(import.meta.url).resolve("@vlasky/zongji")), "lib", file)).href)) as T;

type EventClass<T> = new (parser: unknown, options: object, zongji: unknown) => T;

/** Parses a recorded table map and its rows as a MariaDB stream does, with information_schema answering `answer`. */
async function readRecorded(recorded: { tableMap: string; writeRows: string }, answer: (sql: string) => object[]) {
  await installZongjiFixes();
  const { TableMap } = await zongjiLib<{ TableMap: EventClass<TableMapEvent & { updateColumnInfo(): void }> }>("binlog_event.js");
  const { WriteRows } = await zongjiLib<{ WriteRows: EventClass<{ rows: unknown[] }> }>("rows_event.js");
  const { Parser } = await zongjiLib<{ Parser: new () => { append(buffer: Buffer): void } }>("reader.js");
  const errors: unknown[] = [];
  const zongji = Object.assign(new EventEmitter(), {
    tableMap: {} as Record<number, TableMapEntry>, useChecksum: false, isMariaDb: true, _skipSchema: () => false,
    connection: { config: { dateStrings: true, timezone: "Z" } },
    ctrlConnection: { execute: (sql: string, _values: unknown[], callback: (error: null, rows: object[]) => void) => callback(null, answer(sql)) },
  });
  zongji.on("error", (error: unknown) => errors.push(error));
  const parse = <T>(Event: EventClass<T>, hex: string, eventType: number): T => {
    const parser = new Parser();
    parser.append(Buffer.from(hex, "hex"));
    return new Event(parser, { eventType, timestamp: 0, nextPosition: 0, size: hex.length / 2 }, zongji);
  };
  const event = parse(TableMap, recorded.tableMap, 19);
  // What zongji does for a MariaDB table map with classic temporal codes, FULL metadata or not.
  (ZongJi.prototype as unknown as { _fetchTableInfo: (this: unknown, e: unknown, next: () => void) => void })._fetchTableInfo.call(zongji, event, () => event.updateColumnInfo());
  const entry = zongji.tableMap[event.tableId];
  if (!entry) return { errors };
  const map = tableMapFromZongji(event, entry, true);
  try {
    return { errors, map, rows: parse(WriteRows, recorded.writeRows, 23).rows };
  } catch (error) {
    return { errors, map, thrown: error };
  }
}

describe("MariaDB FULL table maps with classic temporal columns", () => {
  it("decode rows written before an ALTER with the binlog's columns, taking only the precision from information_schema, by name", async () => {
    const { errors, map, rows } = await readRecorded(OLD_E, informationSchema(OLD_E_ALTERED));
    expect(errors).toEqual([]);
    // ENUM and SET labels, the latin1 charset and the 5.3-format fractions as they were written.
    expect(rows).toEqual([OLD_E_ROW]);
    const columns = map?.logged?.columns() ?? [];
    expect(columns.map((c) => c.name)).toEqual(["id", "ts", "st", "tags", "amount", "b", "dt", "dt3", "tm", "tm4", "ts2", "dt6", "n"]);
    expect(columns.find((c) => c.name === "st")?.labels).toEqual(["new", "paid", "shipped"]);
    expect(columns.find((c) => c.name === "b")?.charset).toBe("latin1");
    expect(columns.filter((c) => c.fsp !== null).map((c) => [c.name, c.fsp])).toEqual([["ts", 0], ["dt", 0], ["dt3", 3], ["tm", 0], ["tm4", 4], ["ts2", 2], ["dt6", 6]]);
    expect(map?.logged?.primaryKey).toEqual(["id"]);
    // tm was dropped since: its precision is assumed (rightly: it had none).
    expect(map?.logged?.assumedPrecision).toEqual(["tm"]);
  });

  it("decode rows of a table dropped since from the binlog alone, reading its temporal columns without fraction", async () => {
    const { errors, map, rows } = await readRecorded(OLD_X, () => []);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      [1, "2024-01-01 00:00:00", "a", "-838:59:59", "2024-02-03 04:05:06"],
      [2, "9999-12-31 23:59:59", "b", null, null],
    ]);
    expect(map?.logged?.assumedPrecision).toEqual(["dt", "tm", "ts"]);
  });

  it("stop, naming the table and the columns, when a column of a dropped table had a fraction after all", async () => {
    const { thrown } = await readRecorded(OLD_E, () => []);
    expect(thrown).toBeInstanceOf(RuntimeError);
    const error = thrown as RuntimeError;
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/rows of rec\.old_e cannot be decoded: columns ts, dt, dt3, tm, tm4, ts2, dt6 of the rows are DATETIME, TIME or TIMESTAMP in MariaDB's 5\.3 format/);
    expect(error.hint).toMatch(/recreate the table .* start the pipeline after these rows/);
  });
});
