// A session that writes with binlog_format = STATEMENT puts its changes in the binlog as SQL
// text, which the stream cannot turn into rows. The pipeline says so, naming the table (or the
// stored function whose call wrote rows), instead of passing over it, keeps quiet about tables
// it does not select, and goes on streaming rows.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { decodeChanges, idOf, pipelinePlan, readSettled, rootConnection, rule, startChild, stopChild, uniqueName } from "./runtime-helpers.js";
import { logLines } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe("data changes logged as SQL statements", () => {
  const { database, db } = useTestDatabase("rt_stmt", (database) => [
    `CREATE TABLE ${database}.t (id INT PRIMARY KEY, v VARCHAR(16)) ENGINE=InnoDB`,
    `CREATE TABLE ${database}.other (id INT PRIMARY KEY) ENGINE=InnoDB`,
    `CREATE TABLE ${database}.loaded (id INT PRIMARY KEY, v VARCHAR(16)) ENGINE=InnoDB`,
    `CREATE FUNCTION ${database}.add_row(x INT) RETURNS INT MODIFIES SQL DATA DETERMINISTIC BEGIN INSERT INTO ${database}.t VALUES (x, 'function'); RETURN x; END`,
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

  it("warns of a LOAD DATA, a CREATE TABLE … SELECT and stored function calls logged as statements", async () => {
    const topic = uniqueName("rt-stmt-more");
    const rules = ["t", "loaded", "copied"].map((table) => rule(database, table));
    const child = await startChild(pipelinePlan(uniqueName("stmt-more"), topic, rules, { format: "canal-json" }));
    try {
      const writer = await rootConnection(database);
      await writer.query("SET SESSION binlog_format = 'STATEMENT'");
      // The server logs these as BEGIN_LOAD_QUERY and EXECUTE_LOAD_QUERY events, which zongji does not parse.
      await writer.query({ sql: `LOAD DATA LOCAL INFILE 'rows.csv' INTO TABLE loaded FIELDS TERMINATED BY ','`, infileStreamFactory: () => Readable.from([Buffer.from("10,loaded\n11,loaded\n")]) });
      await writer.query("CREATE TABLE copied (PRIMARY KEY (id)) SELECT id, v FROM loaded");
      // Each is logged as SELECT `database`.`add_row`(n): the INSERT inside it is not in the binlog.
      await writer.query("SELECT add_row(20)");
      await writer.query("SET @v = add_row(21)");
      await writer.query("DO add_row(22)");
      await writer.end();
      await db().query(`INSERT INTO ${database}.t VALUES (3, 'row')`);
      const changes = decodeChanges("canal-json", await readSettled(topic, 1)).filter((change) => change.type !== "DDL");
      expect(changes.map(idOf)).toEqual([3]);
      const warnings = logLines(child).filter((line) => line.code === "statement-dml");
      expect(warnings).toMatchObject([
        { table: `${database}.loaded`, statement: "LOAD DATA", statements: 1 },
        { table: `${database}.copied`, statement: "CREATE TABLE … SELECT", statements: 1 },
        { table: null, function: `${database}.add_row`, statement: "SELECT", sql: `SELECT \`${database}\`.\`add_row\`(20)`, statements: 1 },
      ]);
    } finally {
      await stopChild(child);
    }
  });
});
