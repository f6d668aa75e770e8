// A session that sets binlog_row_image = MINIMAL for itself logs only some columns of each row
// (the key in the before image, the changed or given columns in the after image); the server's
// FULL, which the precheck requires, is only the default. What the other columns hold is not
// in the binlog, so the pipeline stops naming the table and the columns rather than send them
// as NULL.
import { describe, expect, it } from "vitest";
import { decodeChanges, idOf, pipelinePlan, readSettled, rootConnection, rule, startChild, stopChild, topicSize, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe("rows logged with a partial image", () => {
  const { database, db } = useTestDatabase("row_image", (database) => [`CREATE TABLE ${database}.t (id INT PRIMARY KEY, a INT, b VARCHAR(10) DEFAULT 'kept')`]);

  it("stop the pipeline with the table and the missing columns, after the rows before them", async () => {
    await db().query(`INSERT INTO ${database}.t VALUES (1, 10, 'x')`);
    const topic = uniqueName("row-image");
    const child = await startChild(pipelinePlan(uniqueName("row-image"), topic, [rule(database, "t")], { format: "canal-json" }));
    const writer = await rootConnection();
    try {
      await db().query(`INSERT INTO ${database}.t VALUES (2, 20, 'y')`);
      await writer.query("SET SESSION binlog_row_image = 'MINIMAL'");
      await writer.query(`UPDATE ${database}.t SET a = 11 WHERE id = 1`);
      const status = await waitForStatus(child, (s) => s.phase === "failed", 30_000);
      expect(status.error?.message).toContain(`rows of ${database}.t in the binlog stream`);
      expect(status.error?.message).toMatch(/logged without the columns (a, b|id, b)/);
      expect(status.error?.code).toBe("DTS5005");
      expect(status.error?.hint).toContain("binlog_row_image = FULL");
      expect(decodeChanges("canal-json", await readSettled(topic, await topicSize(topic), 10_000)).map(idOf)).toEqual([2]);
    } finally {
      await writer.end();
      await stopChild(child);
    }
  });
});
