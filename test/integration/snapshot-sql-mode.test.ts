// A server whose default sql_mode changes how statements parse and what SELECT returns: with
// NO_BACKSLASH_ESCAPES a key literal escaped with backslashes ends early, with ANSI_QUOTES a
// double-quoted string is a name, with PAD_CHAR_TO_FULL_LENGTH a CHAR comes back padded. The
// pipeline's sessions set their own sql_mode (source/session-mode.ts), so the initial sync
// still walks text keys holding quotes and backslashes chunk by chunk and every value arrives
// as stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSettled, rule, stopChild, topicSize, uniqueName } from "./runtime-helpers.js";
import { replay, snapshotPlan, spawnRuntime, tableRows, waitForPhase } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

const HOSTILE_MODE = "NO_BACKSLASH_ESCAPES,ANSI_QUOTES,PAD_CHAR_TO_FULL_LENGTH";
const NAMES = ["O'Brien", "back\\slash", 'say "hi"', "a\\'b", "plain", "''", "\\", "end'"];

describe("initial sync on a server with a hostile default sql_mode", () => {
  const { database, db } = useTestDatabase("snap_mode", (database) => [`CREATE TABLE ${database}.people (name VARCHAR(40) PRIMARY KEY, code CHAR(8) NOT NULL)`]);
  let serverMode = "";

  beforeAll(async () => {
    const values = NAMES.map((name, i) => `(${db().escape(name)}, 'c${i}')`);
    await db().query(`INSERT INTO ${database}.people VALUES ${values.join(",")}`);
    const [rows] = await db().query("SELECT @@GLOBAL.sql_mode AS mode");
    serverMode = (rows as { mode: string }[])[0]?.mode ?? "";
    await db().query("SET GLOBAL sql_mode = ?", [HOSTILE_MODE]);
  });

  afterAll(async () => {
    await db().query("SET GLOBAL sql_mode = ?", [serverMode]);
  });

  it("copies every row once, in chunks keyed by quoted text, with CHAR values unpadded", async () => {
    const topic = uniqueName("snap-mode");
    const child = spawnRuntime(snapshotPlan(uniqueName("mode"), topic, [rule(database, "people")], { chunkSize: 2, parallelism: 1 }));
    try {
      await waitForPhase(child, "streaming", 60_000);
      const messages = await readSettled(topic, await topicSize(topic), 60_000);
      const { info, rows } = await tableRows(db(), database, "people");
      const state = replay(messages, info);
      expect(state.latest.size).toBe(NAMES.length);
      expect([...rows].filter(([key, row]) => state.latest.get(key) !== row).map(([key]) => key)).toEqual([]);
      expect([...state.initCount].filter(([, count]) => count !== 1)).toEqual([]);
      expect(rows.get("O'Brien")).toBe("O'Brien|c0");
    } finally {
      await stopChild(child);
    }
  });
});
