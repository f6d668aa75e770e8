// An address that accepts the connection and then closes it is asked by hand what it is, so that
// a MySQL port or a TLS listener in the brokers list fails at once instead of being waited for.
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { apiVersionsRequest, judgeAnswer, probeListener } from "../../src/runtime/sink/listener-probe.js";

const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A local server that answers each connection as `answer` does; resolves to its host:port. */
async function serve(answer: (socket: net.Socket) => void): Promise<string> {
  const server = net.createServer(answer);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

describe("judgeAnswer", () => {
  it("knows a Kafka response by its correlation id", () => {
    const response = Buffer.alloc(14);
    response.writeInt32BE(10, 0);
    apiVersionsRequest().copy(response, 4, 8, 12);
    expect(judgeAnswer(response)).toEqual({ kind: "kafka" });
  });

  it("knows a TLS listener, a MySQL greeting, a text protocol, and silence", () => {
    expect(judgeAnswer(Buffer.from("15030300020250", "hex"))).toEqual({ kind: "tls" });
    const greeting = Buffer.concat([Buffer.from([0x68, 0, 0, 0, 0x0a]), Buffer.from("5.5.5-10.11.19-MariaDB-log\0rest")]);
    expect(judgeAnswer(greeting)).toEqual({ kind: "other", what: "is a MySQL or MariaDB server (5.5.5-10.11.19-MariaDB-log)" });
    expect(judgeAnswer(Buffer.from("HTTP/1.1 400 Bad Request\r\nServer: x\r\n"))).toEqual({ kind: "other", what: 'answered "HTTP/1.1 400 Bad Request"' });
    expect(judgeAnswer(Buffer.alloc(0))).toEqual({ kind: "other", what: "accepted the connection and closed it without an answer" });
  });
});

describe("probeListener", () => {
  it("sends ApiVersions and reads what comes back", async () => {
    const kafkaLike = await serve((socket) =>
      socket.once("data", (request: Buffer) => {
        const response = Buffer.alloc(14);
        response.writeInt32BE(10, 0);
        request.copy(response, 4, 8, 12);
        socket.end(response);
      }),
    );
    expect(await probeListener(kafkaLike, false)).toEqual({ kind: "kafka" });
    const closer = await serve((socket) => socket.destroy());
    expect(await probeListener(closer, false)).toMatchObject({ kind: "other" });
  });

  it("reports a refused connection as unreachable, so it is still waited for", async () => {
    const free = await serve(() => undefined);
    servers.pop()?.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await probeListener(free, false)).toMatchObject({ kind: "unreachable" });
  });
});
