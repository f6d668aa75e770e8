// MariaDB's log_bin_compress writes compressed query and rows events (QUERY_COMPRESSED_EVENT,
// WRITE/UPDATE/DELETE_ROWS_COMPRESSED_EVENT). A reader that skipped them would lose every row
// quietly, so this streams from a throwaway server that compresses everything it can.
import { describe, expect, it } from "vitest";
import { decodeChanges, idOf, pipelinePlan, readSettled, rule, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useThrowawayMariadb } from "./throwaway-mariadb.js";

describe("a MariaDB with log_bin_compress", () => {
  const database = uniqueName("rt_compressed");
  const source = useThrowawayMariadb({
    name: "compressed",
    envPrefix: "COMPRESSED",
    extraArgs: ["--log-bin-compress=ON", "--log-bin-compress-min-len=10"],
    setup: `CREATE DATABASE ${database}; CREATE TABLE ${database}.notes (id INT PRIMARY KEY, body TEXT NOT NULL) ENGINE=InnoDB`,
  });

  it("streams every insert, update and delete, compressed or not", async () => {
    const topic = uniqueName("rt-compressed");
    const plan = pipelinePlan(uniqueName("compressed"), topic, [rule(database, "notes")], { format: "canal-json" });
    source.useAsSource(plan);
    const runtime = await startInProcess(plan);
    const db = source.db();
    try {
      const long = "a compressible body ".repeat(50);
      await db.query(`INSERT INTO ${database}.notes VALUES (1, '${long}'), (2, 'short')`);
      await db.query(`UPDATE ${database}.notes SET body = CONCAT(body, ' and more') WHERE id = 1`);
      await db.query(`DELETE FROM ${database}.notes WHERE id = 2`);
      const changes = decodeChanges("canal-json", await readSettled(topic, 4));
      expect(changes.map((c) => `${c.type} ${idOf(c)}`)).toEqual(["INSERT 1", "INSERT 2", "UPDATE 1", "DELETE 2"]);
      expect(changes[2]?.after?.body).toBe(`${long} and more`);
      const [status] = await db.query("SHOW MASTER STATUS");
      const [events] = await db.query(`SHOW BINLOG EVENTS IN '${(status as { File: string }[])[0]?.File}'`);
      expect((events as { Event_type: string }[]).filter((e) => /compressed/i.test(e.Event_type)).length).toBeGreaterThanOrEqual(3);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });
});
