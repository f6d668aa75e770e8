// Partition placement for every policy, checked against an independent computation of Java's
// String.hashCode (exact polynomial in BigInt, wrapped to int32) and Java's Math.abs(h % n),
// on a topic with 6 partitions. Per-rule overrides let one pipeline cover every policy.
import { describe, expect, it } from "vitest";
import { decodeChanges, pipelinePlan, readSettled, rule, startInProcess, uniqueName, type DecodedChange } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

function javaHash(text: string): number {
  let sum = 0n;
  for (let i = 0; i < text.length; i++) sum = sum * 31n + BigInt(text.charCodeAt(i));
  return Number(BigInt.asIntN(32, sum));
}
const place = (key: string, n: number) => Math.abs(javaHash(key) % n);

describe("partition policies", () => {
  const { database, db } = useTestDatabase("rt_part", (database) => [
    `CREATE TABLE ${database}.t_pk (id BIGINT PRIMARY KEY, v VARCHAR(8))`,
    `CREATE TABLE ${database}.t_composite (a INT, b VARCHAR(8), v INT, PRIMARY KEY (a, b))`,
    `CREATE TABLE ${database}.t_uk (email VARCHAR(32) NOT NULL, v INT, UNIQUE KEY uk_email (email))`,
    `CREATE TABLE ${database}.t_none (v INT)`,
    `CREATE TABLE ${database}.t_table (id INT PRIMARY KEY)`,
    `CREATE TABLE ${database}.t_cols (id INT PRIMARY KEY, tenant VARCHAR(8))`,
    `CREATE TABLE ${database}.t_zero (id INT PRIMARY KEY)`,
  ]);
  const partitions = 6;

  it("places every row where the policy says, on the topic's real partition count", async () => {
    const topic = uniqueName("rt-part");
    const pkHash = { policy: "primary-key-hash" as const };
    const plan = pipelinePlan(uniqueName("part"), topic, [
      rule(database, "t_table", { partition: { policy: "table-hash" } }),
      rule(database, "t_cols", { partition: { policy: "columns-hash", columns: ["tenant"] } }),
      rule(database, "t_zero", { partition: { policy: "partition-zero" } }),
      rule(database, null),
    ], { partition: pkHash, ddl: "capture" });
    (plan.pipelines[0] as { destination: { createTopics: { partitions: number } } }).destination.createTopics.partitions = partitions;
    const runtime = await startInProcess(plan);
    try {
      for (let i = 1; i <= 20; i++) {
        await db().query(`INSERT INTO ${database}.t_pk VALUES (${i * 7919}, 'x')`);
        await db().query(`INSERT INTO ${database}.t_composite VALUES (${i}, 'k${i}', 0)`);
        await db().query(`INSERT INTO ${database}.t_uk VALUES ('user${i}@example.com', ${i})`);
        await db().query(`INSERT INTO ${database}.t_none VALUES (${i})`);
        await db().query(`INSERT INTO ${database}.t_table VALUES (${i})`);
        await db().query(`INSERT INTO ${database}.t_cols VALUES (${i}, 'tn${i % 5}')`);
        await db().query(`INSERT INTO ${database}.t_zero VALUES (${i})`);
      }
      await db().query(`ALTER TABLE ${database}.t_table ADD COLUMN extra INT`);
      await db().query(`ALTER TABLE ${database}.t_pk ADD COLUMN extra INT`);

      const changes = decodeChanges("canal-json", await readSettled(topic, 142));
      const expected = (c: DecodedChange): number => {
        if (c.type === "DDL") return c.table === "t_table" ? place(`${database}.t_table`, partitions) : 0;
        const row = c.after as Record<string, string>;
        switch (c.table) {
          case "t_pk": return place(row.id as string, partitions);
          case "t_composite": return place(`${row.a}|${row.b}`, partitions);
          case "t_uk": return place(row.email as string, partitions);
          case "t_none": return 0;
          case "t_table": return place(`${database}.t_table`, partitions);
          case "t_cols": return place(row.tenant as string, partitions);
          default: return 0;
        }
      };
      const wrong = changes.filter((c) => c.partition !== expected(c)).map((c) => `${c.type} ${c.table} ${JSON.stringify(c.after)} on ${c.partition}, expected ${expected(c)}`);
      expect(wrong).toEqual([]);
      expect(changes.filter((c) => c.type === "DDL")).toHaveLength(2);
      const used = new Set(changes.filter((c) => c.table === "t_pk").map((c) => c.partition));
      expect(used.size).toBeGreaterThan(2);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });
});
