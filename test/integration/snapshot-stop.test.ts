// SIGTERM while a one-pass copy (a table without a usable key) runs and the stream holds that
// table's changes back until the read ends: the stop waited for the whole read (minutes for a
// large or throttled table, "stopping" all the while). The sync now stops at the request.
import { describe, expect, it } from "vitest";
import { rule, stopChild, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";
import { snapshotPlan, spawnRuntime, waitForPhase } from "./snapshot-helpers.js";

const ROWS = 20_000;

describe("a stop request during a one-pass copy", () => {
  const { database, db } = useTestDatabase("snap_stop", (database) => [
    `CREATE TABLE ${database}.keyless (a INT, b VARCHAR(20))`,
    `INSERT INTO ${database}.keyless SELECT seq, 'row' FROM ${database}.seq_1_to_${ROWS}`,
  ]);

  it("stops the copy rather than wait for its end", async () => {
    // About 40 s of copying at this rate; the stop must not wait for it.
    const plan = snapshotPlan(uniqueName("stop"), uniqueName("snap-stop"), [rule(database, "keyless")], { chunkSize: 500, parallelism: 1, throttle: { rowsPerSecond: 500, bytesPerSecond: null } });
    const runtime = spawnRuntime(plan);
    await waitForPhase(runtime, "snapshotting", 60_000);
    await waitForStatus(runtime, (s) => s.messagesTotal >= 1000, 60_000);
    // A change of the table during its read: the stream holds it back until the read ends.
    await db().query(`INSERT INTO ${database}.keyless VALUES (-1, 'during')`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const asked = Date.now();
    expect(await stopChild(runtime)).toBe(0);
    expect(Date.now() - asked, runtime.stderr()).toBeLessThan(15_000);
  });
});
