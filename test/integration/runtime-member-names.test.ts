// Columns and an index named like Object.prototype members (`constructor`, `toString`,
// `valueOf`, `__proto__`, `hasOwnProperty`), and renames to such names, through the initial
// sync and the binlog, in both formats: every value arrives under its own name.
import { describe, expect, it } from "vitest";
import { decodeChanges, pipelinePlan, readSettled, rule, startInProcess, uniqueName, type DecodedChange } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

/** Objects with these names as own members (a `__proto__` literal would set the prototype). */
const row = (entries: [string, string | null][]) => Object.fromEntries(entries);

function rowOf(id: string, ctor: string, str: string, value: string, proto: string, own: string, src: string) {
  return row([["id", id], ["constructor", ctor], ["toLocaleString", str], ["valueOf", value], ["__proto__", proto], ["hasOwnProperty", own], ["isPrototypeOf", src]]);
}

describe.each(["canal-json", "dts-avro"] as const)("columns named like Object.prototype members (%s)", (format) => {
  const { database, db } = useTestDatabase("rt_members", (database) => [
    `CREATE TABLE ${database}.odd (id INT PRIMARY KEY, \`constructor\` INT, \`toString\` VARCHAR(20), \`valueOf\` DECIMAL(10,2),
         \`__proto__\` VARCHAR(20), \`hasOwnProperty\` INT, src VARCHAR(10), UNIQUE KEY \`constructor\` (\`constructor\`), UNIQUE KEY \`__proto__\` (\`__proto__\`))`,
    `INSERT INTO ${database}.odd VALUES (1, 11, 'ts1', 1.50, 'p1', 101, 's1')`,
  ]);

  it("sends every value under its own name, copied and streamed", async () => {
    const topic = uniqueName("rt-members");
    const plan = pipelinePlan(uniqueName("members"), topic, [rule(database, "odd", { columns: { include: null, exclude: [], rename: { toString: "toLocaleString", src: "isPrototypeOf" } } })], {
      format,
      initialSync: { schema: false, data: true, chunkSize: 1000, parallelism: 1, throttle: { rowsPerSecond: null, bytesPerSecond: null } },
    });
    const runtime = await startInProcess(plan);
    try {
      await db().query(`INSERT INTO ${database}.odd VALUES (2, 22, 'ts2', 2.50, 'p2', 202, 's2')`);
      await db().query(`UPDATE ${database}.odd SET \`constructor\` = 12, \`__proto__\` = 'p1b', \`valueOf\` = 1.75 WHERE id = 1`);
      await db().query(`DELETE FROM ${database}.odd WHERE id = 2`);
      const changes = decodeChanges(format, await readSettled(topic, 4));
      const simple = (c: DecodedChange) => ({ type: c.type, before: c.before, after: c.after });
      expect(changes.map(simple)).toEqual([
        { type: format === "dts-avro" ? "INIT" : "INSERT", before: null, after: rowOf("1", "11", "ts1", "1.50", "p1", "101", "s1") },
        { type: "INSERT", before: null, after: rowOf("2", "22", "ts2", "2.50", "p2", "202", "s2") },
        { type: "UPDATE", before: rowOf("1", "11", "ts1", "1.50", "p1", "101", "s1"), after: rowOf("1", "12", "ts1", "1.75", "p1b", "101", "s1") },
        { type: "DELETE", before: rowOf("2", "22", "ts2", "2.50", "p2", "202", "s2"), after: null },
      ]);
      expect(changes.map((c) => JSON.parse((c.key as Buffer).toString("utf8")))).toEqual([1, 2, 1, 2].map((id) => [database, "odd", String(id)]));
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });
});
