// Rows decoded with the shape they were written with (binlog_row_metadata=FULL, as the stack
// runs): a table dropped while the pipeline lagged still delivers its rows; rows written
// before an ALTER keep their columns, types and charsets; text and blob columns after a
// GEOMETRY column keep their own charsets; UUID and INET columns, which FULL table maps type
// as BINARY(n), stream as the server shows them. DDL that names a selected table anywhere (a
// RENAME onto it, MariaDB's IF EXISTS forms, a multi-table DROP, a name written against its
// keyword) reloads it and is sent once. In both formats.
import { describe, expect, it } from "vitest";
import { decodeDtsAvro } from "../../src/messages/dts-avro.js";
import { readableDtsRecord } from "../../src/messages/readable.js";
import type { ExecutionPlan } from "../../src/generated/plan.js";
import { decodeChanges, pipelinePlan, readSettled, readStatus, rootConnection, rule, startInProcess, uniqueName, type ReadMessage } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

type Format = "canal-json" | "dts-avro";

/** One row of a message: its values as text, each column's type, and DTS's charsets. */
interface Shaped {
  type: string;
  table: string;
  values: Record<string, unknown>;
  /** canal: mysqlType; DTS Avro: dataTypeNumber. */
  types: Record<string, unknown>;
  /** DTS Avro Character columns: the charset written. */
  charsets: Record<string, string>;
}

function shaped(format: Format, messages: ReadMessage[]): Shaped[] {
  return messages.flatMap((m): Shaped[] => {
    if (format === "canal-json") {
      const json = JSON.parse(m.value.toString("utf8")) as { type: string; table: string; data: Record<string, unknown>[]; mysqlType: Record<string, unknown> };
      return json.data.map((values) => ({ type: json.type, table: json.table, values, types: json.mysqlType, charsets: {} }));
    }
    const { record } = decodeDtsAvro(m.value);
    const readable = readableDtsRecord(record, null) as { operation: string; table: string; after: Record<string, unknown> | null; before: Record<string, unknown> | null; fields: Record<string, unknown> };
    const images = record.afterImages ?? record.beforeImages;
    const fields = record.fields && "array" in record.fields ? record.fields.array : [];
    const charsets: Record<string, string> = {};
    if (images && "array" in images) {
      images.array.forEach((value, i) => {
        const character = value?.["com.alibaba.dts.formats.avro.Character"];
        if (character) charsets[fields[i]?.name ?? ""] = character.charset as string;
      });
    }
    return [{ type: readable.operation, table: readable.table, values: (readable.after ?? readable.before) as Record<string, unknown>, types: readable.fields, charsets }];
  });
}

describe.each(["canal-json", "dts-avro"] as const)("table metadata from the binlog (%s)", (format) => {
  const { database, db } = useTestDatabase("rt_meta");

  /** Runs the pipeline until it streams, then stops it: what follows happens while it lags. */
  async function lagging(plan: ExecutionPlan): Promise<void> {
    const runtime = await startInProcess(plan);
    expect((await runtime.stop()).phase).toBe("stopped");
  }

  it("delivers the rows of a table dropped while the pipeline was behind them", async () => {
    await db().query(`CREATE TABLE ${database}.gone (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET latin1, amount DECIMAL(10,2))`);
    await db().query(`CREATE TABLE ${database}.kept (id INT PRIMARY KEY)`);
    const topic = uniqueName("rt-meta-drop");
    const plan = pipelinePlan(uniqueName("drop"), topic, [rule(database, null)], { format });
    await lagging(plan);
    await db().query(`INSERT INTO ${database}.gone VALUES (1, 'café', 1.50), (2, 'b', 2.50)`);
    await db().query(`UPDATE ${database}.gone SET name = 'c' WHERE id = 2`);
    await db().query(`DROP TABLE ${database}.gone`);
    await db().query(`INSERT INTO ${database}.kept VALUES (1)`);
    const runtime = await startInProcess(plan);
    try {
      const rows = shaped(format, await readSettled(topic, 4));
      expect(rows.map((r) => [r.type, r.table, r.values])).toEqual([
        ["INSERT", "gone", { id: "1", name: "café", amount: "1.50" }],
        ["INSERT", "gone", { id: "2", name: "b", amount: "2.50" }],
        ["UPDATE", "gone", { id: "2", name: "c", amount: "2.50" }],
        ["INSERT", "kept", { id: "1" }],
      ]);
      if (format === "dts-avro") expect(rows[0]?.charsets).toEqual({ name: "latin1" });
      expect(readStatus(runtime.stateDir)?.phase).toBe("streaming");
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("decodes rows written before an ALTER with the columns, types and charsets they were written with", async () => {
    await db().query(`CREATE TABLE ${database}.t (id INT PRIMARY KEY, a INT, b VARCHAR(20) CHARACTER SET latin1, c VARCHAR(10), d INT)`);
    const topic = uniqueName("rt-meta-alter");
    const plan = pipelinePlan(uniqueName("alter"), topic, [rule(database, "t")], { format });
    await lagging(plan);
    await db().query(`INSERT INTO ${database}.t VALUES (1, 10, 'café', 'x', 7)`);
    await db().query(`ALTER TABLE ${database}.t ADD COLUMN e VARCHAR(5) NOT NULL DEFAULT 'new' AFTER id, DROP COLUMN d, MODIFY a VARCHAR(20), MODIFY b VARCHAR(20) CHARACTER SET utf8mb4`);
    await db().query(`INSERT INTO ${database}.t VALUES (2, 'e2', 'abc', 'naïve 😀', 'y')`);
    await db().query(`UPDATE ${database}.t SET c = 'z' WHERE id = 1`);
    const runtime = await startInProcess(plan);
    try {
      const rows = shaped(format, await readSettled(topic, 3));
      expect(rows.map((r) => [r.type, r.values])).toEqual([
        ["INSERT", { id: "1", a: "10", b: "café", c: "x", d: "7" }],
        ["INSERT", { id: "2", e: "e2", a: "abc", b: "naïve 😀", c: "y" }],
        ["UPDATE", { id: "1", e: "new", a: "10", b: "café", c: "z" }],
      ]);
      const [before, after] = rows;
      if (format === "canal-json") {
        expect(before?.types).toEqual({ id: "int(11)", a: "int", b: "varchar(20)", c: "varchar(10)", d: "int" });
        expect(after?.types).toEqual({ id: "int(11)", e: "varchar(5)", a: "varchar(20)", b: "varchar(20)", c: "varchar(10)" });
      } else {
        expect(before?.types).toEqual({ id: 3, a: 3, b: 15, c: 15, d: 3 });
        expect(after?.types).toEqual({ id: 3, e: 15, a: 15, b: 15, c: 15 });
        expect(before?.charsets).toEqual({ b: "latin1", c: "utf8mb4" });
        expect(after?.charsets).toEqual({ e: "utf8mb4", a: "utf8mb4", b: "utf8mb4", c: "utf8mb4" });
      }
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("keeps the charsets of text and blob columns that follow a GEOMETRY column", async () => {
    await db().query(`CREATE TABLE ${database}.geo (id INT PRIMARY KEY, pt POINT, bl BLOB, tx TEXT CHARACTER SET utf8mb4, vl VARCHAR(10) CHARACTER SET latin1)`);
    const topic = uniqueName("rt-meta-geo");
    const runtime = await startInProcess(pipelinePlan(uniqueName("geo"), topic, [rule(database, "geo")], { format }));
    try {
      await db().query(`INSERT INTO ${database}.geo VALUES (1, POINT(1, 2), X'FF00E9', '😀 é', 'é')`);
      const [row] = shaped(format, await readSettled(topic, 1));
      // canal writes bytes one ISO-8859-1 character per byte; DTS's readable view shows hex
      expect(row?.values).toMatchObject({ id: "1", bl: format === "canal-json" ? "\u00ff\u0000\u00e9" : "0xff00e9", tx: "😀 é", vl: "é" });
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("reloads and sends DDL for every selected table it names: RENAME onto it, IF EXISTS forms, multi-table DROP, names against the keywords", async () => {
    for (const t of ["k7 (id INT PRIMARY KEY, v INT)", "sel (id INT PRIMARY KEY, a INT)", "unsel_tmp (id INT PRIMARY KEY, a INT, b VARCHAR(5))", "tmpx (id INT PRIMARY KEY, c INT)", "tl (id INT PRIMARY KEY)", "unsel3 (id INT PRIMARY KEY)", "`t 3` (id INT PRIMARY KEY, v INT)"]) {
      await db().query(`CREATE TABLE ${database}.${t}`);
    }
    const topic = uniqueName("rt-meta-ddl");
    const ddlTopic = uniqueName("rt-meta-ddl-ddl");
    const plan = pipelinePlan(uniqueName("ddl"), topic, ["sel", "tl", "t 3", "k7"].map((t) => rule(database, t)), { format, ddl: "capture" });
    (plan.pipelines[0] as { destination: { ddlTopic: string } }).destination.ddlTopic = ddlTopic;
    const runtime = await startInProcess(plan);
    const session = await rootConnection(database);
    try {
      await session.query("INSERT INTO `t 3` VALUES (1, 1)");
      await session.query("alter table if exists `t 3` drop primary key");
      await session.query("INSERT INTO `t 3` VALUES (2, 2)");
      // from a session with no default database, the name written against the keyword
      await db().query(`INSERT INTO ${database}.k7 VALUES (1, 1)`);
      await db().query(`ALTER TABLE\`${database}\`.\`k7\` DROP PRIMARY KEY`);
      await db().query(`INSERT INTO ${database}.k7 VALUES (2, 2)`);
      await session.query("DROP TABLE sel");
      await session.query("RENAME TABLE IF EXISTS unsel_tmp TO sel");
      await session.query("INSERT INTO sel VALUES (1, 1, 'x')");
      // read before the table goes again, so that it is loaded while it exists
      await readSettled(topic, 5);
      await session.query(`DROP TABLE ${database}.sel`);
      await session.query("ALTER TABLE tmpx RENAME TO sel");
      await session.query("INSERT INTO sel VALUES (2, 5)");
      await session.query("DROP TABLE unsel3, tl");

      const ddl = decodeChanges(format, await readSettled(ddlTopic, 7));
      expect(ddl.map((d) => [d.table, d.sql])).toEqual([
        ["t 3", "alter table if exists `t 3` drop primary key"],
        ["k7", `ALTER TABLE\`${database}\`.\`k7\` DROP PRIMARY KEY`],
        ["sel", expect.stringMatching(/^DROP TABLE `sel`/)],
        ["sel", "RENAME TABLE IF EXISTS unsel_tmp TO sel"],
        ["sel", expect.stringMatching(/^DROP TABLE `?sel`?/)],
        ["sel", "ALTER TABLE tmpx RENAME TO sel"],
        ["tl", expect.stringMatching(/^DROP TABLE `unsel3`,`tl`/)],
      ]);
      if (format === "canal-json") {
        const types = (await readSettled(ddlTopic, 7)).map((m) => (JSON.parse(m.value.toString("utf8")) as { type: string }).type);
        expect(types).toEqual(["ALTER", "ALTER", "ERASE", "RENAME", "ERASE", "ALTER", "ERASE"]);
      }
      const rows = decodeChanges(format, await readSettled(topic, 6));
      expect(rows.map((r) => [r.table, r.after, r.key === null ? null : JSON.parse(r.key.toString("utf8"))])).toEqual([
        ["t 3", { id: "1", v: "1" }, [database, "t 3", "1"]],
        ["t 3", { id: "2", v: "2" }, null],
        ["k7", { id: "1", v: "1" }, [database, "k7", "1"]],
        ["k7", { id: "2", v: "2" }, null],
        ["sel", { id: "1", a: "1", b: "x" }, [database, "sel", "1"]],
        ["sel", { id: "2", c: "5" }, [database, "sel", "2"]],
      ]);
    } finally {
      await session.end();
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("streams MariaDB UUID, INET4 and INET6 values as the server shows them", async () => {
    const uuids = ["123e4567-e89b-12d3-a456-426614174000", "e0d8b2f8-e5a3-11ee-9d4c-0242ac120002", "00000000-0000-0000-0000-000000000000"];
    const inet4s = ["10.0.0.1", "255.255.255.255", "0.0.0.0"];
    const inet6s = ["::", "::1", "::2", "::ffff:1.2.3.4", "::ffff:0:0", "::1.2.3.4", "::0.1.0.0", "::fffe:102:304", "2001:db8::1", "fe80::1:0:0:1",
      "2001:db8:0:0:1:0:0:1", "1:2:3:4:5:6:7:0", "1:0:2:3:4:5:6:7", "1:0:0:2:0:0:3:0", "1:0:0:0:0:0:0:0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"];
    await db().query(`CREATE TABLE ${database}.ids (id INT PRIMARY KEY, u UUID, i4 INET4, i6 INET6)`);
    const topic = uniqueName("rt-meta-ids");
    const runtime = await startInProcess(pipelinePlan(uniqueName("ids"), topic, [rule(database, "ids")], { format }));
    try {
      const values = inet6s.map((i6, i) => [i + 1, uuids[i % uuids.length], inet4s[i % inet4s.length], i6]);
      await db().query(`INSERT INTO ${database}.ids VALUES ?`, [values]);
      const [server] = await db().query(`SELECT CAST(id AS CHAR) id, CAST(u AS CHAR) u, CAST(i4 AS CHAR) i4, CAST(i6 AS CHAR) i6 FROM ${database}.ids t ORDER BY t.id`);
      const rows = shaped(format, await readSettled(topic, 1));
      expect(rows.map((r) => r.values)).toEqual(server);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });
});
