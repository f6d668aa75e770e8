// MariaDB's log_bin_compress writes compressed query and rows events (QUERY_COMPRESSED_EVENT,
// WRITE/UPDATE/DELETE_ROWS_COMPRESSED_EVENT). A reader that skipped them would lose every row
// quietly, so this streams from a throwaway server that compresses everything it can.
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariadbInstance, type MariadbInstance } from "../../scripts/stack/control.js";
import { decodeChanges, exportStackEnv, freePort, idOf, pipelinePlan, readSettled, rule, startInProcess, uniqueName } from "./runtime-helpers.js";

describe("a MariaDB with log_bin_compress", () => {
  let server: MariadbInstance;
  let db: mysql.Connection;
  const database = uniqueName("rt_compressed");

  beforeAll(async () => {
    exportStackEnv();
    server = await startMariadbInstance({ name: `compressed-${process.pid}`, port: await freePort(), extraArgs: ["--log-bin-compress=ON", "--log-bin-compress-min-len=10"], fresh: true });
    process.env.DTS_COMPRESSED_USER = server.user;
    process.env.DTS_COMPRESSED_PASSWORD = server.password;
    db = await mysql.createConnection({ host: server.host, port: server.port, user: server.rootUser, password: server.rootPassword, multipleStatements: true });
    await db.query(`CREATE DATABASE ${database}; CREATE TABLE ${database}.notes (id INT PRIMARY KEY, body TEXT NOT NULL) ENGINE=InnoDB`);
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await server?.destroy();
  });

  it("streams every insert, update and delete, compressed or not", async () => {
    const topic = uniqueName("rt-compressed");
    const plan = pipelinePlan(uniqueName("compressed"), topic, [rule(database, "notes")], { format: "canal-json" });
    const pipeline = plan.pipelines[0] as (typeof plan.pipelines)[number];
    pipeline.source = { ...pipeline.source, host: server.host, port: server.port, user: { env: "DTS_COMPRESSED_USER" }, password: { env: "DTS_COMPRESSED_PASSWORD" } };
    const runtime = await startInProcess(plan);
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
