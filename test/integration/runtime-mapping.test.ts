// Object selection (exact and pattern), renames of database, table and columns, column
// exclusion, per-table topics, row filters with DTS's update semantics, DDL capture to the DDL
// topic, and metadata reload after ALTER TABLE: end to end, in both formats.
import { describe, expect, it } from "vitest";
import { decodeChanges, idOf, pipelinePlan, readSettled, rule, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe.each(["canal-json", "dts-avro"] as const)("selection and mapping (%s)", (format) => {
  const { database, db } = useTestDatabase("rt_map", (database) => [
    `CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, status VARCHAR(16), amount DECIMAL(10,2), secret VARCHAR(16))`,
    ...["logs_2024", "logs_2025", "logs_old", "ignored"].map((t) => `CREATE TABLE ${database}.${t} (id INT PRIMARY KEY, msg VARCHAR(16))`),
    `CREATE TABLE ${database}.js (Id BIGINT PRIMARY KEY, Name VARCHAR(16), Doc VARCHAR(16), Ts TIMESTAMP NULL)`,
  ]);

  it("selects, renames, filters and captures DDL as the plan says", async () => {
    const mainTopic = uniqueName("rt-map-main");
    const ordersTopic = uniqueName("rt-map-orders");
    const ddlTopic = uniqueName("rt-map-ddl");
    const plan = pipelinePlan(uniqueName("map"), mainTopic, [
      rule(database, "orders", {
        target: { database: "shop_v2", table: "purchase", topic: ordersTopic },
        columns: { include: null, exclude: ["secret"], rename: { status: "state" } },
        filter: { text: "amount >= 10", expr: { op: ">=", column: "amount", value: { number: "10" } } },
      }),
      rule(database, null, { table: { pattern: "logs_[0-9]{4}" } }),
    ], { format, ddl: "capture" });
    (plan.pipelines[0] as { destination: { ddlTopic: string } }).destination.ddlTopic = ddlTopic;
    const runtime = await startInProcess(plan);
    try {
      const o = `${database}.orders`;
      await db().query(`INSERT INTO ${o} VALUES (1, 'NEW', 5, 's1')`);
      await db().query(`INSERT INTO ${o} VALUES (2, 'NEW', 50, 's2')`);
      await db().query(`UPDATE ${o} SET amount = 5 WHERE id = 2`);
      await db().query(`UPDATE ${o} SET amount = 20 WHERE id = 1`);
      await db().query(`UPDATE ${o} SET status = 'PAID' WHERE id = 1`);
      for (const t of ["logs_2024", "logs_2025", "logs_old", "ignored"]) await db().query(`INSERT INTO ${database}.${t} VALUES (1, '${t}')`);
      await db().query(`ALTER TABLE ${o} ADD COLUMN note VARCHAR(16) NULL`);
      await db().query(`INSERT INTO ${o} VALUES (3, 'NEW', 30, 's3', 'hello')`);

      const orders = decodeChanges(format, await readSettled(ordersTopic, 5));
      expect(orders.map((c) => `${c.type} ${idOf(c)}`)).toEqual(["INSERT 2", "DELETE 2", "INSERT 1", "UPDATE 1", "INSERT 3"]);
      expect(orders.every((c) => c.database === "shop_v2" && c.table === "purchase")).toBe(true);
      expect(Object.keys(orders[0]?.after ?? {}).sort()).toEqual(["amount", "id", "state"]);
      expect(orders[1]?.before).toMatchObject({ id: "2", amount: "50.00" });
      expect(orders[3]?.after).toMatchObject({ state: "PAID", amount: "20.00" });
      expect(orders[4]?.after).toMatchObject({ id: "3", state: "NEW", note: "hello" });

      const logs = decodeChanges(format, await readSettled(mainTopic, 2));
      expect(logs.map((c) => `${c.table}:${c.after?.msg}`).sort()).toEqual(["logs_2024:logs_2024", "logs_2025:logs_2025"]);

      const ddl = decodeChanges(format, await readSettled(ddlTopic, 1));
      expect(ddl).toHaveLength(1);
      expect(ddl[0]).toMatchObject({ type: "DDL", database: "shop_v2" });
      expect(ddl[0]?.sql).toMatch(/ADD COLUMN note/);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("matches column names in any case, and reads TIMESTAMP literals at the offset of their own date", async () => {
    const topic = uniqueName("rt-map-case");
    // One summer and one winter literal: whatever the date the run starts, a single offset gets one wrong.
    const filter = "TS = '2024-07-01 12:00:00' OR ts = '2024-12-01 12:00:00'";
    const plan = pipelinePlan(uniqueName("map-case"), topic, [
      rule(database, "js", {
        columns: { include: ["id", "NAME", "ts"], exclude: [], rename: {} },
        filter: { text: filter, expr: { op: "or", args: [{ op: "=", column: "TS", value: { string: "2024-07-01 12:00:00" } }, { op: "=", column: "ts", value: { string: "2024-12-01 12:00:00" } }] } },
      }),
    ], { format });
    (plan.pipelines[0] as { source: { timezone: string } }).source.timezone = "Europe/Berlin";
    const runtime = await startInProcess(plan);
    try {
      await db().query("SET time_zone = '+00:00'");
      // 12:00 in Berlin is 10:00Z in July (CEST) and 11:00Z in December (CET).
      const rows = [[1, "2024-07-01 10:00:00"], [2, "2024-07-01 11:00:00"], [3, "2024-12-01 11:00:00"], [4, "2024-12-01 10:00:00"]] as const;
      for (const [id, ts] of rows) await db().query(`INSERT INTO ${database}.js VALUES (${id}, 'n${id}', 'd${id}', '${ts}')`);
      await db().query(`INSERT INTO ${database}.js VALUES (5, 'last', 'd', '2024-12-01 11:00:00')`);

      const changes = decodeChanges(format, await readSettled(topic, 3));
      expect(changes.map((c) => c.after?.Id)).toEqual(["1", "3", "5"]);
      expect(Object.keys(changes[0]?.after ?? {})).toEqual(["Id", "Name", "Ts"]);
      expect(changes[0]?.after).toMatchObject({ Id: "1", Name: "n1" });
      // The primary key survived the column choice: the message names the row.
      expect(changes[0]?.key?.toString()).toContain('"1"');
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });
});
