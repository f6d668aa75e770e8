// Partition placement for every policy, checked against an independent computation of Java's
// String.hashCode (exact polynomial in BigInt, wrapped to int32) and Java's Math.abs(h % n),
// on a topic with 6 partitions. Per-rule overrides let one pipeline cover every policy. A row
// keeps its key and partition from the initial sync to its changes in the binlog.
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

describe("a table without PRIMARY KEY, keyed by the unique key the server made its primary key", () => {
  // MariaDB takes zz (the first unique key of NOT NULL columns) as the primary key and says so in
  // the binlog's table map; aa is first by name but nullable, so it names no row.
  const rows = 16;
  const { database, db } = useTestDatabase("rt_ukey", (database) => [
    `CREATE TABLE ${database}.uk (x INT NULL, u VARCHAR(10) NOT NULL, v INT, UNIQUE KEY zz(u), UNIQUE KEY aa(x))`,
    `INSERT INTO ${database}.uk VALUES ${Array.from({ length: rows }, (_, i) => `(${i % 4 === 0 ? "NULL" : i}, 'u${i}', ${i})`).join(", ")}`,
  ]);
  const partitions = 8;

  it.each(["canal-json", "dts-avro"] as const)("gives each row one key and partition in the initial sync and the stream (%s)", async (format) => {
    const topic = uniqueName("rt-ukey");
    const plan = pipelinePlan(uniqueName("ukey"), topic, [rule(database, "uk")], {
      format,
      partition: { policy: "primary-key-hash" },
      initialSync: { schema: false, data: true, chunkSize: 5, parallelism: 1, throttle: { rowsPerSecond: null, bytesPerSecond: null } },
    });
    (plan.pipelines[0] as { destination: { createTopics: { partitions: number } } }).destination.createTopics.partitions = partitions;
    const runtime = await startInProcess(plan);
    try {
      await db().query(`UPDATE ${database}.uk SET v = v + 100`);
      const messages = await readSettled(topic, 2 * rows);
      const changes = decodeChanges(format, messages);
      const synced = changes.filter((c) => c.type !== "UPDATE");
      const updated = changes.filter((c) => c.type === "UPDATE");
      expect(synced.map((c) => c.type)).toEqual(Array(rows).fill(format === "dts-avro" ? "INIT" : "INSERT"));
      expect(updated).toHaveLength(rows);
      const placement = (c: DecodedChange) => `${c.key?.toString()} on ${c.partition}`;
      const expected = (u: string) => `${JSON.stringify([database, "uk", u])} on ${place(u, partitions)}`;
      const byRow = (list: DecodedChange[]) => Object.fromEntries(list.map((c) => [c.after?.u as string, placement(c)]));
      const want = Object.fromEntries(Array.from({ length: rows }, (_, i) => [`u${i}`, expected(`u${i}`)]));
      expect(byRow(synced)).toEqual(want);
      expect(byRow(updated)).toEqual(want);
      expect(new Set(changes.map((c) => c.key?.toString())).size).toBe(rows);
      // The key columns are announced alike in both phases (canal pkNames, DTS pk_uk_info).
      const announced = format === "canal-json" ? '"pkNames":["u"]' : '{"PRIMARY":["u"],"zz":["u"],"aa":["x"]}';
      expect(messages.filter((m) => !m.value.includes(announced))).toEqual([]);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });
});
