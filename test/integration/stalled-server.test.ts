// A source server that took the login and then stops answering (a hung process, a network that
// drops packets without a reset) fails a control query after its timeout, as a retriable error,
// instead of hanging a run or a precheck for good. A proxy in front of the real MariaDB stalls
// on command.
import { createConnection, createServer, type Server, type Socket } from "node:net";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asRuntimeError } from "../../src/runtime/errors.js";
import { withQueryTimeout } from "../../src/runtime/source/server-checks.js";
import { loadStackEnv } from "./stack-env.js";

let proxy: Server;
let port = 0;
let stalled = false;
const sockets: Socket[] = [];

beforeAll(async () => {
  const stack = loadStackEnv();
  proxy = createServer((client) => {
    const server = createConnection({ host: stack.mysql.host, port: stack.mysql.port });
    sockets.push(client, server);
    client.on("data", (chunk) => server.write(chunk));
    // Once stalled, the server's answers are held back: no reset, no close.
    server.on("data", (chunk) => stalled || client.write(chunk));
    client.on("error", () => server.destroy());
    server.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  port = (proxy.address() as { port: number }).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy.close(resolve));
});

describe("a source server that stops answering", () => {
  it("fails a control query after its timeout, retriably, rather than wait for good", async () => {
    const stack = loadStackEnv();
    const conn = withQueryTimeout(await mysql.createConnection({ host: "127.0.0.1", port, user: stack.mysql.user, password: stack.mysql.password }), 800);
    expect(await conn.query("SELECT 1 AS one")).toBeTruthy();
    stalled = true;
    const error = await conn.query("SELECT 2 AS two").then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: "PROTOCOL_SEQUENCE_TIMEOUT" });
    expect(asRuntimeError(error).retriable).toBe(true);
    conn.destroy();
  });
});
