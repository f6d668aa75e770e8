// Row filters select exactly the rows MariaDB's WHERE selects with the same expression, in the
// initial sync and in the stream: one table per case, rows written before the pipeline starts
// and after, and the keys that reach Kafka compared with SELECT id … WHERE <filter>. The cases
// are the comparisons where JavaScript's own would differ from the server's: ENUM and SET
// against numbers, zero and loosely written datetimes, number literals against dates, bytes,
// code-point order, negative and long TIME, a DOUBLE's text under LIKE, two-digit years against
// a YEAR, and doubles beyond 2^53 against a BIGINT.
import { describe, expect, it } from "vitest";
import { parseFilter } from "../../src/compiler/filter/parser.js";
import type { ObjectRule, Pipeline } from "../../src/generated/plan.js";
import { decodeChanges, pipelinePlan, readSettled, rule, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

interface Case {
  type: string;
  /** SQL value literals, each written once before the start and once after. */
  values: string[];
  filter: string;
}

const cases: Case[] = [
  { type: "ENUM('new','paid','shipped')", values: ["'new'", "'paid'", "'shipped'"], filter: "v NOT IN (1, 2)" },
  { type: "ENUM('3','2','1')", values: ["'3'", "'2'", "'1'"], filter: "v = 1" },
  { type: "SET('a','b','c')", values: ["''", "'a'", "'a,b'", "'c'"], filter: "v = 0 OR v = 3" },
  { type: "TIMESTAMP NULL", values: ["'0000-00-00 00:00:00'", "'2024-01-01 00:00:00'", "'2025-06-01 12:00:00'"], filter: "v = '2024-1-1' OR v = '0000-00-00 00:00:00' OR v > 20250101" },
  { type: "DATE", values: ["'2024-01-01'", "'2024-02-01'", "'0000-00-00'"], filter: "v >= 20240115 OR v < '1000-01-01'" },
  { type: "VARBINARY(4)", values: ["X'80'", "X'C3A9'", "'a'"], filter: "v > 'é' OR v LIKE '_'" },
  { type: "VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", values: ["'😀'", "'Ａ'", "'z'"], filter: "v > 'Ａ'" },
  { type: "TIME", values: ["'-02:00:00'", "'-01:00:00'", "'100:00:00'", "'99:30:00'"], filter: "v < '-01:00:00' OR v > '99:30:00'" },
  { type: "DOUBLE", values: ["1e21", "1e-7", "1.5"], filter: "v LIKE '%e%'" },
  { type: "YEAR", values: ["2024", "2000", "0", "1970", "2025"], filter: "v = 24 OR v = '0' OR v IN (70, 2000)" },
  { type: "YEAR", values: ["2024", "2000", "0", "1970", "2025"], filter: "v < '25' AND v != 24.5 AND v NOT BETWEEN 1 AND 0" },
  { type: "YEAR", values: ["2024", "2000", "0", "1970", "2025"], filter: "v = '0000' OR v = 24.5 OR v = '70abc'" },
  { type: "BIGINT", values: ["9007199254740992", "9007199254740993", "9223372036854775807", "9223372036854775806"], filter: "v = 9007199254740993e0 OR v = 9223372036854775808e0" },
  { type: "BIGINT UNSIGNED", values: ["18446744073709551615", "18446744073709551614", "18446744073709550000"], filter: "v = 18446744073709551616e0" },
];

const prefilled = (c: Case) => c.values.length;

describe("row filters against the server's WHERE", () => {
  const { database, db } = useTestDatabase("filters", (database) => cases.map((c, n) => `CREATE TABLE ${database}.t${n} (id INT PRIMARY KEY, v ${c.type})`));

  async function insertAll(offset: number): Promise<void> {
    // The server's own loose mode, so the zero dates go in as they are.
    await db().query("SET SESSION sql_mode = ''");
    for (const [n, c] of cases.entries()) {
      for (const [i, value] of c.values.entries()) await db().query(`INSERT INTO ${database}.t${n} VALUES (${offset + i + 1}, ${value})`);
    }
  }

  it("sends exactly the rows SELECT … WHERE returns, from the initial sync and the stream", async () => {
    await insertAll(0);
    const topic = uniqueName("filters");
    const objects: ObjectRule[] = cases.map((c, n) => {
      const parsed = parseFilter(c.filter);
      if (!parsed.ok) throw new Error(`${c.filter}: ${parsed.error.message}`);
      return rule(database, `t${n}`, { filter: { text: c.filter, expr: parsed.expr } as ObjectRule["filter"] });
    });
    const plan = pipelinePlan(uniqueName("filters"), topic, objects);
    const pipeline = plan.pipelines[0] as Pipeline;
    pipeline.initialSync = { ...pipeline.initialSync, data: true };
    const runtime = await startInProcess(plan);
    try {
      await insertAll(100);
      const expected = new Map<string, number[]>();
      for (const [n, c] of cases.entries()) {
        const [rows] = (await db().query(`SELECT id FROM ${database}.t${n} WHERE ${c.filter} ORDER BY id`)) as unknown as [{ id: number }[]];
        expected.set(`t${n}`, rows.map((r) => r.id));
      }
      const total = [...expected.values()].reduce((sum, ids) => sum + ids.length, 0);
      expect(total, "the cases select some rows").toBeGreaterThan(cases.length);
      const changes = decodeChanges("canal-json", await readSettled(topic, total, 60_000));
      for (const [n, c] of cases.entries()) {
        const sent = changes.filter((ch) => ch.table === `t${n}`).map((ch) => Number(ch.after?.id)).sort((a, b) => a - b);
        expect(sent, `${c.type} WHERE ${c.filter}`).toEqual(expected.get(`t${n}`));
        expect(sent.length, `${c.type}: rows of both the sync and the stream`).toBeLessThanOrEqual(2 * prefilled(c));
      }
    } finally {
      await runtime.stop();
    }
  }, 120_000);
});
