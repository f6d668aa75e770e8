// Tables a pipeline does not select must not be able to stop it. Without FULL row metadata the
// binlog's table maps carry no column names, and the reader used to ask information_schema
// about every table map it met: an unselected table dropped while the pipeline lagged (or one
// the account may not read) then failed the stream. This runs on a throwaway server with
// binlog_row_metadata=MINIMAL, the default of MySQL and MariaDB.
import { describe, expect, it } from "vitest";
import type { ExecutionPlan } from "../../src/generated/plan.js";
import { decodeChanges, idOf, pipelinePlan, readSettled, readStatus, rule, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useThrowawayMariadb } from "./throwaway-mariadb.js";

describe("tables the pipeline does not select, on a server without FULL row metadata", () => {
  const database = uniqueName("rt_unselected");
  const source = useThrowawayMariadb({
    name: "minimal",
    envPrefix: "MINIMAL",
    extraArgs: ["--binlog-row-metadata=MINIMAL"],
    setup: `CREATE DATABASE ${database}; CREATE TABLE ${database}.kept (id INT PRIMARY KEY); CREATE TABLE ${database}.gone (id INT PRIMARY KEY, note TEXT)`,
  });

  function plan(topic: string): ExecutionPlan {
    const built = pipelinePlan(uniqueName("unselected"), topic, [rule(database, "kept")], { format: "canal-json" });
    source.useAsSource(built);
    return built;
  }

  it("streams the selected table past rows of an unselected table that was dropped meanwhile", async () => {
    const db = source.db();
    const [variables] = await db.query("SHOW GLOBAL VARIABLES LIKE 'binlog_row_metadata'");
    expect((variables as { Value: string }[])[0]?.Value).toBe("MINIMAL");
    const topic = uniqueName("rt-unselected");
    const spec = plan(topic);
    const first = await startInProcess(spec);
    expect((await first.stop()).phase).toBe("stopped");
    // While the pipeline is stopped: rows in both tables, then the unselected one is dropped.
    await db.query(`INSERT INTO ${database}.kept VALUES (1)`);
    await db.query(`INSERT INTO ${database}.gone VALUES (1, 'a'), (2, 'b')`);
    await db.query(`INSERT INTO ${database}.kept VALUES (2)`);
    await db.query(`DROP TABLE ${database}.gone`);
    await db.query(`INSERT INTO ${database}.kept VALUES (3)`);
    const runtime = await startInProcess(spec);
    try {
      const changes = decodeChanges("canal-json", await readSettled(topic, 3));
      expect(changes.map((c) => `${c.type} ${c.table} ${idOf(c)}`)).toEqual(["INSERT kept 1", "INSERT kept 2", "INSERT kept 3"]);
      expect(readStatus(runtime.stateDir)?.phase).toBe("streaming");
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });
});
