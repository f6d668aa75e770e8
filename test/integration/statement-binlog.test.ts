// A session that writes with binlog_format = STATEMENT puts its changes in the binlog as SQL
// text, which the stream cannot turn into rows. The pipeline says so, naming the table, instead
// of passing over it, keeps quiet about tables it does not select, and goes on streaming rows.
import { describe, expect, it } from "vitest";
import { decodeChanges, idOf, pipelinePlan, readSettled, rootConnection, rule, startChild, stopChild, uniqueName } from "./runtime-helpers.js";
import { logLines } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe("data changes logged as SQL statements", () => {
  const { database, db } = useTestDatabase("rt_stmt", (database) => [
    `CREATE TABLE ${database}.t (id INT PRIMARY KEY, v VARCHAR(16)) ENGINE=InnoDB`,
    `CREATE TABLE ${database}.other (id INT PRIMARY KEY) ENGINE=InnoDB`,
  ]);

  it("warns with the table's name and goes on streaming rows", async () => {
    const topic = uniqueName("rt-stmt");
    const child = await startChild(pipelinePlan(uniqueName("stmt"), topic, [rule(database, "t")], { format: "canal-json" }));
    try {
      const writer = await rootConnection();
      await writer.query("SET SESSION binlog_format = 'STATEMENT'");
      await writer.query(`INSERT INTO ${database}.t VALUES (1, 'statement')`);
      await writer.query(`UPDATE \`${database}\`.t SET v = 'again' WHERE id = 1`);
      await writer.query(`INSERT INTO ${database}.other VALUES (1)`);
      await writer.end();
      await db().query(`INSERT INTO ${database}.t VALUES (2, 'row')`);
      const changes = decodeChanges("canal-json", await readSettled(topic, 1));
      expect(changes.map(idOf)).toEqual([2]);
      const warnings = logLines(child).filter((line) => line.code === "statement-dml");
      // The UPDATE comes within a minute of the INSERT on the same table: counted, not logged again.
      expect(warnings).toMatchObject([{ level: 40, table: `${database}.t`, statement: "INSERT", statements: 1 }]);
      expect(String(warnings[0]?.msg)).toContain("not in Kafka");
    } finally {
      await stopChild(child);
    }
  });
});
