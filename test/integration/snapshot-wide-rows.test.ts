// Rows so wide that a chunk of chunk_size rows would hold far more than a chunk's byte budget
// (snapshot/chunk-sizer.ts): the copier reads fewer rows per SELECT, sized first by the server's
// estimate (fresh here, after ANALYZE TABLE) and then by the bytes it read, and every row still
// arrives exactly once.
import { describe, expect, it } from "vitest";
import { CHUNK_BYTES } from "../../src/runtime/snapshot/chunk-sizer.js";
import { readSettled, rule, stopChild, topicSize, uniqueName } from "./runtime-helpers.js";
import { logLines, replay, snapshotPlan, spawnRuntime, tableRows, waitForPhase } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

const ROWS = 48;
const WIDTH = 512 * 1024;

describe("initial sync of wide rows", () => {
  const { database, db } = useTestDatabase("snap_wide", (database) => [`CREATE TABLE ${database}.wide (id INT PRIMARY KEY, body LONGTEXT NOT NULL)`]);

  it("reads fewer rows per chunk than chunk_size, within a chunk's bytes, and loses none", async () => {
    for (let first = 1; first <= ROWS; first += 8) {
      // The server builds each 512 KiB value, so the statements stay small.
      const values = Array.from({ length: 8 }, (_, i) => `(${first + i}, REPEAT('${String.fromCharCode(97 + ((first + i) % 26))}', ${WIDTH}))`);
      await db().query(`INSERT INTO ${database}.wide VALUES ${values.join(",")}`);
    }
    await db().query(`ANALYZE TABLE ${database}.wide`);
    const topic = uniqueName("snap-wide");
    const child = spawnRuntime(snapshotPlan(uniqueName("wide"), topic, [rule(database, "wide")], { chunkSize: 1000, parallelism: 1 }));
    try {
      await waitForPhase(child, "streaming", 120_000);
      const reads = logLines(child).filter((line) => line.msg === "snapshot chunk read");
      expect(reads.length).toBeGreaterThanOrEqual(ROWS / (CHUNK_BYTES / WIDTH));
      for (const read of reads) expect(Number(read.rows) * WIDTH).toBeLessThanOrEqual(CHUNK_BYTES);

      const messages = await readSettled(topic, await topicSize(topic), 120_000);
      const { info, rows } = await tableRows(db(), database, "wide");
      const state = replay(messages, info);
      expect(state.latest.size).toBe(ROWS);
      expect([...rows].filter(([key, row]) => state.latest.get(key) !== row).map(([key]) => key)).toEqual([]);
      expect([...state.initCount].filter(([, count]) => count !== 1)).toEqual([]);
    } finally {
      await stopChild(child);
    }
  });
});
