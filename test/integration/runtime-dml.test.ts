// Every DML kind a DTS task syncs, end to end on the real stack, in both wire formats:
// single and multi-row statements, UPDATE, DELETE, REPLACE, multi-statement transactions kept
// in order, and a rolled-back transaction that sends nothing.
import { describe, expect, it } from "vitest";
import { decodeChanges, idOf, pipelinePlan, readSettled, rule, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe.each(["canal-json", "dts-avro"] as const)("DML end to end (%s)", (format) => {
  const { database, db } = useTestDatabase("rt_dml", (database) => [
    `CREATE TABLE ${database}.items (id BIGINT PRIMARY KEY, name VARCHAR(32) NOT NULL, qty INT, price DECIMAL(10,2)) ENGINE=InnoDB`,
  ]);
  const topic = uniqueName("rt-dml");

  it("delivers inserts, updates, deletes, replaces and transactions in source order; rollbacks send nothing", async () => {
    const plan = pipelinePlan(uniqueName("dml"), topic, [rule(database, "items")], { format });
    const runtime = await startInProcess(plan);
    try {
      const t = `${database}.items`;
      await db().query(`INSERT INTO ${t} VALUES (1, 'a', 1, 1.50)`);
      await db().query(`INSERT INTO ${t} VALUES (2, 'b', 2, 2.00), (3, 'c', 3, 3.00), (4, 'd', 4, 4.25)`);
      await db().query(`UPDATE ${t} SET qty = qty + 10 WHERE id IN (2, 3)`);
      await db().query(`DELETE FROM ${t} WHERE id = 4`);
      await db().query(`REPLACE INTO ${t} VALUES (1, 'a2', 5, 9.99)`);
      await db().query(`BEGIN; INSERT INTO ${t} VALUES (5, 'e', 5, 5.00); UPDATE ${t} SET name = 'e2' WHERE id = 5; INSERT INTO ${t} VALUES (6, 'f', 6, 6.00); COMMIT`);
      await db().query(`BEGIN; INSERT INTO ${t} VALUES (7, 'never', 7, 7.00); ROLLBACK`);
      await db().query(`INSERT INTO ${t} VALUES (8, 'last', NULL, NULL)`);

      const changes = decodeChanges(format, await readSettled(topic, 12));
      const replace = changes.filter((c) => idOf(c) === 1).slice(1);
      const replaceTypes = replace.map((c) => c.type).join(",");
      expect(["UPDATE", "DELETE,INSERT"]).toContain(replaceTypes);
      const withoutReplace = changes.filter((c) => !replace.includes(c));
      expect(withoutReplace.map((c) => `${c.type} ${idOf(c)}`)).toEqual([
        "INSERT 1", "INSERT 2", "INSERT 3", "INSERT 4", "UPDATE 2", "UPDATE 3", "DELETE 4", "INSERT 5", "UPDATE 5", "INSERT 6", "INSERT 8",
      ]);
      expect(changes.every((c) => c.database === database && c.table === "items")).toBe(true);
      expect(changes.some((c) => idOf(c) === 7)).toBe(false);

      const byKey = (type: string, id: number) => withoutReplace.find((c) => c.type === type && idOf(c) === id);
      expect(byKey("INSERT", 1)?.after).toMatchObject({ id: "1", name: "a", qty: "1", price: "1.50" });
      expect(byKey("UPDATE", 2)?.before).toMatchObject({ qty: "2" });
      expect(byKey("UPDATE", 2)?.after).toMatchObject({ qty: "12" });
      expect(byKey("DELETE", 4)?.before).toMatchObject({ id: "4", price: "4.25" });
      expect(byKey("UPDATE", 5)?.after).toMatchObject({ name: "e2" });
      expect(byKey("INSERT", 8)?.after).toMatchObject({ id: "8", qty: null, price: null });
      expect(replace.at(-1)?.after).toMatchObject({ id: "1", name: "a2", price: "9.99" });
    } finally {
      const result = await runtime.stop();
      expect(result.phase).toBe("stopped");
    }
  });

  it("delivers a 30,000-row transaction (more than one request and one partition batch can carry)", async () => {
    const bigTopic = uniqueName("rt-dml-big");
    const plan = pipelinePlan(uniqueName("dml-big"), bigTopic, [rule(database, "items")], { format, partition: { policy: "primary-key-hash" } });
    const runtime = await startInProcess(plan);
    try {
      await db().query(`DELETE FROM ${database}.items`);
      await db().query("CREATE DATABASE IF NOT EXISTS seq");
      await db().query(`INSERT INTO ${database}.items SELECT seq, CONCAT('n', seq), seq, seq / 100 FROM seq.seq_1_to_30000`);
      const ids = new Set(decodeChanges(format, await readSettled(bigTopic, 30_000, 120_000)).filter((c) => c.type === "INSERT").map(idOf));
      expect(ids.size).toBe(30_000);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });
});
