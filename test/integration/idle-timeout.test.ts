// A server that closes idle connections early (wait_timeout of seconds, as some are set): the
// pipeline's connections wait between uses by design (the control connection, zongji's, the
// chunk comparer), and each one closed failed the session, so a one-pass copy longer than the
// timeout started over and over, sending the table again each time. Every connection now asks
// for a long wait_timeout of its own: the copy ends once, and streaming goes on past the timeout.
import { describe, expect, it } from "vitest";
import { readSettled, rule, stopChild, topicSize, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { logLines, snapshotPlan, spawnRuntime, waitForPhase } from "./snapshot-helpers.js";
import { useThrowawayMariadb } from "./throwaway-mariadb.js";

const ROWS = 6000;

describe("a server with a short wait_timeout", () => {
  const source = useThrowawayMariadb({
    name: "idle",
    envPrefix: "IDLE",
    extraArgs: ["--wait-timeout=2"],
    // The test's own connection is kept open the same way.
    setup: `SET SESSION wait_timeout = 3600; CREATE DATABASE app; CREATE TABLE app.keyless (a INT, b VARCHAR(100)); INSERT INTO app.keyless SELECT seq, 'row' FROM app.seq_1_to_${ROWS};
      CREATE TABLE app.keyed (id INT PRIMARY KEY); INSERT INTO app.keyed SELECT seq FROM app.seq_1_to_10`,
  });

  it("copies a one-pass table longer than the timeout once, and streams on past it", async () => {
    const topic = uniqueName("idle");
    // About 6 s of copying, three times the server's idle timeout.
    const plan = snapshotPlan(uniqueName("idle"), topic, [rule("app", null)], { chunkSize: 500, parallelism: 1, throttle: { rowsPerSecond: 1000, bytesPerSecond: null } });
    source.useAsSource(plan);
    const runtime = spawnRuntime(plan);
    try {
      await waitForPhase(runtime, "streaming", 90_000);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      await source.db().query("INSERT INTO app.keyed VALUES (11)");
      await waitForStatus(runtime, (s) => s.messagesTotal >= ROWS + 10 + 2 + 1, 30_000);
      expect(logLines(runtime).filter((l) => l.level === 50 || (typeof l.msg === "string" && /retrying|interrupted copy/.test(l.msg as string))), runtime.stderr()).toEqual([]);
      // The schema records, every row once, and the insert: nothing was copied twice.
      const messages = await readSettled(topic, await topicSize(topic), 30_000);
      expect(messages.length).toBe(2 + ROWS + 10 + 1);
    } finally {
      await stopChild(runtime);
    }
  });
});
