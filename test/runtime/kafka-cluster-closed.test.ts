// A closed KafkaCluster stays closed: kafkajs would open a fresh connection for any request
// after disconnect(), and a retry still under way when its session ended must not.
import { createServer, type Server } from "node:net";
import kafkajs from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KafkaCluster, KafkaClusterClosedError } from "../../src/runtime/sink/kafka-cluster.js";

describe("a disconnected Kafka cluster view", () => {
  // Counts connection attempts; it never answers, so a request that gets through would hang.
  let server: Server;
  let connections = 0;
  let address = "";
  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses every request that could connect, without connecting", async () => {
    const cluster = new KafkaCluster(new kafkajs.Kafka({ brokers: [address], logLevel: kafkajs.logLevel.NOTHING, connectionTimeout: 200, requestTimeout: 200, retry: { retries: 0 } }));
    await cluster.disconnect();
    const calls = [cluster.connect(["t"]), cluster.refresh(), cluster.addTopics(["t"]), cluster.broker(1), cluster.transactionCoordinator("x"), cluster.groupCoordinator("g"), cluster.initProducerId()];
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(KafkaClusterClosedError);
    expect(connections).toBe(0);
  });
});
