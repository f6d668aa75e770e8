// pt-online-schema-change and gh-ost (its statement sequence, gh-ost-sequence.ts) altering a
// table that a pipeline streams with glob("*") and ddl = capture, while a numbered load writes
// to it: every change arrives once, in order per key; nothing of the tools' own tables is sent;
// rows after the cut-over carry the new column; and the only DDL record is the tool's ALTER,
// naming the real table, at the cut-over.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runGhostMigration } from "./gh-ost-sequence.js";
import { finalState, NumberedWorkload } from "./numbered-workload.js";
import { decodeChanges, pipelinePlan, readSettled, rootConnection, rule, stackEnv, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const run = promisify(execFile);
const prefilled = 3000;
const alter = "ADD COLUMN extra INT NOT NULL DEFAULT 7";

describe("online schema-change tools on a streamed table", () => {
  const { database, db } = useTestDatabase("osc");

  async function waitForSteps(workload: NumberedWorkload, steps: number): Promise<void> {
    while (workload.steps < steps) await new Promise((r) => setTimeout(r, 20));
  }

  /** Streams `table` while the load writes before, during and after `migrate`; checks what Kafka got. */
  async function migrateWhileWriting(table: string, format: "canal-json" | "dts-avro", migrate: (workload: NumberedWorkload) => Promise<void>): Promise<void> {
    await db().query(`CREATE TABLE ${database}.${table} (id INT AUTO_INCREMENT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB`);
    await db().query(`INSERT INTO ${database}.${table} SELECT seq, 0 FROM ${database}.seq_1_to_${prefilled}`);
    const topic = uniqueName("osc");
    const everyTable = rule(database, null, { table: { pattern: "^.*$" } });
    const runtime = await startInProcess(pipelinePlan(uniqueName("osc"), topic, [everyTable], { format, ddl: "capture" }));
    const writer = await rootConnection();
    const workload = new NumberedWorkload(writer, `${database}.${table}`, prefilled);
    try {
      workload.start();
      await waitForSteps(workload, 200);
      const before = workload.steps;
      await migrate(workload);
      const during = workload.steps - before;
      await waitForSteps(workload, workload.steps + 200);
      await workload.stop();
      expect(during, "the load kept writing while the tool worked").toBeGreaterThan(20);

      const changes = decodeChanges(format, await readSettled(topic, workload.steps + 1));
      expect(changes).toHaveLength(workload.steps + 1);
      expect(new Set(changes.map((c) => `${c.database}.${c.table}`))).toEqual(new Set([`${database}.${table}`]));

      const ddl = changes.filter((c) => c.type === "DDL");
      expect(ddl.map((c) => c.sql)).toEqual([`ALTER TABLE \`${database}\`.\`${table}\` ${alter}`]);
      const cutOver = changes.findIndex((c) => c.type === "DDL");
      const rows = changes.filter((c) => c.type !== "DDL");
      const hasExtra = (c: (typeof changes)[number]) => "extra" in (c.after ?? c.before ?? {});
      expect(changes.slice(0, cutOver).filter(hasExtra)).toEqual([]);
      expect(changes.slice(cutOver + 1).every((c) => (c.after ?? c.before)?.extra === "7")).toBe(true);
      expect(cutOver).toBeGreaterThan(0);
      expect(cutOver).toBeLessThan(changes.length - 1);

      const numbers = rows.filter((c) => c.type !== "DELETE").map((c) => Number(c.after?.n));
      expect(numbers).toEqual(workload.written);
      const deletedInKafka = new Set(rows.filter((c) => c.type === "DELETE").map((c) => Number(c.before?.id)));
      expect(deletedInKafka).toEqual(workload.deleted);

      const state = finalState(changes);
      expect(Object.fromEntries([...workload.expected].map(([id]) => [id, state.get(id)]))).toEqual(Object.fromEntries(workload.expected));
      const [onServer] = (await db().query(`SELECT id, n FROM ${database}.${table}`)) as unknown as [{ id: number; n: number }[]];
      const serverState = new Map(onServer.map((r) => [Number(r.id), Number(r.n)]));
      for (const [id, n] of workload.expected) expect(serverState.get(id) ?? null, `row ${id} on the server`).toBe(n);
    } finally {
      await workload.stop();
      await writer.end();
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  }

  it("pt-online-schema-change: every change once, the new column after the swap, one ALTER record (canal-json)", async () => {
    const installed = await run("pt-online-schema-change", ["--version"]).catch(() => null);
    if (!installed) throw new Error("pt-online-schema-change is not installed: apt-get install percona-toolkit (.ci/run does)");
    const env = stackEnv();
    await migrateWhileWriting("pt_items", "canal-json", async () => {
      const dsn = `D=${database},t=pt_items,h=${env.MYSQL_HOST},P=${env.MYSQL_PORT},u=${env.MYSQL_ROOT_USER ?? "root"},p=${env.MYSQL_ROOT_PASSWORD}`;
      // Small fixed chunks, so the copy takes many steps while the load writes; the server is
      // shared, so the tool must not pause for other sessions' load.
      const options = ["--execute", "--chunk-size", "100", "--chunk-time", "0", "--recursion-method", "none", "--max-load", "Threads_running=1000", "--critical-load", "Threads_running=2000"];
      await run("pt-online-schema-change", ["--alter", alter, dsn, ...options]);
    });
  });

  it("gh-ost's statement sequence: every change once, the new column after the cut-over, one ALTER record (dts-avro)", async () => {
    await migrateWhileWriting("gh_items", "dts-avro", (workload) => runGhostMigration({ database, table: "gh_items", alter, key: "id", chunkSize: 100, holdWrites: workload }));
  });
});
