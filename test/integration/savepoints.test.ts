// A transaction that rolls back to a savepoint after it also changed a non-transactional
// (MyISAM) table: the server keeps the rolled-back rows in the binlog between `SAVEPOINT` and
// `ROLLBACK TO` statements, for replicas to replay. Only the rows that committed reach Kafka,
// also when the transaction is large enough to be spilled to disk on the way.
import { describe, expect, it } from "vitest";
import { decodeChanges, idOf, pipelinePlan, readSettled, rootConnection, rule, startChild, stopChild, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

/** Rows of one multi-row INSERT, ids from `first` on. */
const values = (first: number, count: number) => Array.from({ length: count }, (_, i) => `(${first + i})`).join(",");

describe("savepoints rolled back to", () => {
  const { database } = useTestDatabase("savepoints", (database) => [
    `CREATE TABLE ${database}.t (id INT PRIMARY KEY) ENGINE=InnoDB`,
    `CREATE TABLE ${database}.log (id INT PRIMARY KEY) ENGINE=MyISAM`,
  ]);

  it("sends only the rows that committed, small and spilled transactions alike", async () => {
    const topic = uniqueName("savepoints");
    const child = await startChild(pipelinePlan(uniqueName("savepoints"), topic, [rule(database, "t")], { format: "canal-json", partition: { policy: "partition-zero" } }));
    const writer = await rootConnection();
    try {
      await writer.query("BEGIN");
      await writer.query(`INSERT INTO ${database}.t VALUES (1)`);
      await writer.query("SAVEPOINT before_log");
      await writer.query(`INSERT INTO ${database}.log VALUES (1)`);
      await writer.query(`INSERT INTO ${database}.t VALUES (2)`);
      await writer.query("ROLLBACK TO SAVEPOINT before_log");
      await writer.query(`INSERT INTO ${database}.t VALUES (3)`);
      await writer.query("COMMIT");
      // Past the 5,000 rows after which a transaction's rows go to a file, before and after the savepoint.
      await writer.query("BEGIN");
      await writer.query(`INSERT INTO ${database}.t VALUES ${values(100, 6000)}`);
      await writer.query("SAVEPOINT `Big One`");
      await writer.query(`INSERT INTO ${database}.log VALUES (2)`);
      await writer.query(`INSERT INTO ${database}.t VALUES ${values(10_000, 7000)}`);
      await writer.query("ROLLBACK TO `big one`");
      await writer.query(`INSERT INTO ${database}.t VALUES (20000)`);
      await writer.query("COMMIT");
      await writer.query(`INSERT INTO ${database}.t VALUES (30000)`);
      const ids = decodeChanges("canal-json", await readSettled(topic, 6004, 60_000)).map(idOf);
      expect(ids).toEqual([1, 3, ...Array.from({ length: 6000 }, (_, i) => 100 + i), 20000, 30000]);
    } finally {
      await writer.end();
      await stopChild(child);
    }
  });
});
