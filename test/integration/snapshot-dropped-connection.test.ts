// A one-pass copy (a table without a usable key) whose connection drops while the copy is
// paused, as MariaDB drops a connection it could not write to for net_write_timeout: mysql2 tells
// only the connection, not the paused result stream, so the copy and the stream that waited for
// it hung for good ("initial sync 18%", nothing logged). Now the session fails retriably, the
// copy starts over and the pipeline goes on to stream. A proxy in front of the real MariaDB
// closes the SELECT's connection on command, without an error packet.
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import { readSettled, rule, stopChild, topicSize, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { loadStackEnv } from "./stack-env.js";
import { useTestDatabase } from "./test-database.js";
import { logLines, snapshotPlan, spawnRuntime, waitForPhase } from "./snapshot-helpers.js";

/** Rows of 1 KB: more than the sockets' buffers hold, so the server is still sending when it is dropped. */
const ROWS = 20_000;

let proxy: Server;
let port = 0;
/** The client and server sockets of the connection that sent the copy's SELECT. */
let selecting: Socket[] = [];

beforeAll(async () => {
  const stack = loadStackEnv();
  proxy = createServer((client) => {
    const server = createConnection({ host: stack.mysql.host, port: stack.mysql.port });
    client.on("data", (chunk: Buffer) => {
      if (/SELECT .*keyless/.test(chunk.toString("latin1"))) selecting = [client, server];
      server.write(chunk);
    });
    server.on("data", (chunk) => client.write(chunk));
    client.on("close", () => server.destroy());
    server.on("close", () => client.destroy());
    client.on("error", () => undefined);
    server.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  port = (proxy.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
});

describe("a one-pass copy whose connection is dropped", () => {
  const { database, db } = useTestDatabase("snap_drop", (database) => [
    `CREATE TABLE ${database}.keyless (a INT, b VARCHAR(1024))`,
    `INSERT INTO ${database}.keyless SELECT seq, REPEAT('x', 1000) FROM ${database}.seq_1_to_${ROWS}`,
  ]);

  it("fails the session retriably and starts the copy over, rather than hang", async () => {
    const topic = uniqueName("snap-drop");
    // Slow enough that the SELECT is paused most of the time, waiting for its rows to be sent.
    const plan = snapshotPlan(uniqueName("drop"), topic, [rule(database, "keyless")], { chunkSize: 500, parallelism: 1, throttle: { rowsPerSecond: 4000, bytesPerSecond: null } });
    const pipeline = plan.pipelines[0] as Pipeline;
    pipeline.source = { ...pipeline.source, host: "127.0.0.1", port };
    const runtime = spawnRuntime(plan);
    try {
      await waitForPhase(runtime, "snapshotting", 60_000);
      await waitForStatus(runtime, (s) => s.messagesTotal >= 2000, 60_000);
      expect(selecting.length).toBe(2);
      // A change of the table during its read: the stream holds it back until the read ends.
      await db().query(`INSERT INTO ${database}.keyless VALUES (-1, 'changed during the copy')`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const socket of selecting) socket.destroy();

      await waitForPhase(runtime, "streaming", 120_000);
      const warned = logLines(runtime).filter((l) => l.table === `${database}.keyless` && typeof l.msg === "string" && /read in one pass/.test(l.msg as string));
      expect(warned.length).toBe(2);
      // Every row at least once: the schema record, the rows sent before the drop, then all of them.
      const messages = await readSettled(topic, await topicSize(topic), 60_000);
      expect(messages.length).toBeGreaterThan(ROWS + 1 + 2000);
      expect(messages.some((m) => m.value.toString("latin1").includes("changed during the copy"))).toBe(true);
    } finally {
      await stopChild(runtime);
    }
  });
});
