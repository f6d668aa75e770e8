// A transaction larger than the rows held in memory (its first rows go to a temporary file and
// are sent in parts at its commit), end to end: every row arrives once, in order, with the
// same values as a small transaction would carry; the checkpoint lands on its commit.
import { describe, expect, it } from "vitest";
import { decodeChanges, pipelinePlan, readSettled, readStatus, rule, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const ROWS = 45_000;

describe("a transaction spilled to disk", () => {
  const { database, db } = useTestDatabase("rt_bigtx", (database) => [
    `CREATE TABLE ${database}.big (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount DECIMAL(12,2), raw VARBINARY(8))`,
    `CREATE TABLE ${database}.small (id INT PRIMARY KEY)`,
  ]);
  const topic = uniqueName("rt-bigtx");

  it("sends every row once and in order, and checkpoints at its commit", async () => {
    const plan = pipelinePlan(uniqueName("bigtx"), topic, [rule(database, null)], { format: "dts-avro" });
    const runtime = await startInProcess(plan);
    try {
      const t = `${database}.big`;
      await db().query(`BEGIN; INSERT INTO ${database}.small VALUES (1); INSERT INTO ${t} SELECT seq, CONCAT('name ', seq), seq / 8, UNHEX(HEX(seq)) FROM seq.seq_1_to_${ROWS}; UPDATE ${t} SET amount = -amount WHERE id <= 100; INSERT INTO ${database}.small VALUES (2); COMMIT`);
      await db().query(`INSERT INTO ${database}.small VALUES (3)`);
      const changes = decodeChanges("dts-avro", await readSettled(topic, ROWS + 103, 120_000));
      expect(changes).toHaveLength(ROWS + 103);
      expect(changes.map((c) => `${c.table} ${c.type} ${c.after?.id}`).filter((_, i, all) => i === 0 || i >= all.length - 102)).toEqual([
        "small INSERT 1",
        ...Array.from({ length: 100 }, (_, i) => `big UPDATE ${i + 1}`),
        "small INSERT 2",
        "small INSERT 3",
      ]);
      const inserts = changes.filter((c) => c.table === "big" && c.type === "INSERT");
      expect(inserts.map((c) => Number(c.after?.id))).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
      expect(inserts[ROWS - 1]?.after).toMatchObject({ name: `name ${ROWS}`, amount: (ROWS / 8).toFixed(2) });
      const [server] = (await db().query("SHOW MASTER STATUS")) as unknown as [{ File: string; Position: number }[]];
      await new Promise((r) => setTimeout(r, 600));
      expect(readStatus(runtime.stateDir)?.checkpoint?.position).toMatchObject({ file: server[0]?.File, offset: Number(server[0]?.Position) });
    } finally {
      await runtime.stop();
    }
  }, 150_000);
});
