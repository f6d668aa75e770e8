// Messages Kafka cannot take, against the real broker. A partition keeps its order when Kafka
// refuses a message for good: a broker that holds no state for a producer id (every new
// session's producer) takes any first sequence number, so batches sent behind a refused first
// batch used to be written without it, rows after a too-large row landing ahead of it once per
// restart. And a message larger than a request the broker reads (socket.request.max.bytes) fails
// at once, saying so, where the broker used to drop the connection for the whole retry window.
import kafkajs from "kafkajs";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/runtime/logger.js";
import { IdempotentProducer } from "../../src/runtime/sink/idempotent-producer.js";
import { createKafka } from "../../src/runtime/sink/kafka-client.js";
import { KafkaCluster } from "../../src/runtime/sink/kafka-cluster.js";
import { sendError } from "../../src/runtime/sink/kafka-errors.js";
import { decodeChanges, idOf, kafka, pipelinePlan, readSettled, rule, spawnChild, stackEnv, startChild, stopChild, topicSize, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const TOPIC_LIMIT = 100_000;

async function createTopic(topic: string, maxMessageBytes: number, partitions = 1): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, configEntries: [{ name: "max.message.bytes", value: String(maxMessageBytes) }] }] });
  } finally {
    await admin.disconnect();
  }
}

async function setTopicLimit(topic: string, maxMessageBytes: number): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: "max.message.bytes", value: String(maxMessageBytes) }] }] });
  } finally {
    await admin.disconnect();
  }
}

describe("order after a refused message", () => {
  const { database, db } = useTestDatabase("produce_order", (database) => [`CREATE TABLE ${database}.o (id INT PRIMARY KEY, t LONGTEXT)`]);

  it("writes nothing behind a too-large row that is the session's first batch, and all of it in order once the topic takes it", async () => {
    const topic = uniqueName("produce-order");
    await createTopic(topic, TOPIC_LIMIT);
    const plan = pipelinePlan(uniqueName("order"), topic, [rule(database, "o")]);
    // A checkpoint before the rows, so each later session starts with the large row.
    await stopChild(await startChild(plan));
    const t = `${database}.o`;
    await db().query(`INSERT INTO ${t} VALUES (1, REPEAT('C', 200000))`);
    for (const id of [2, 3, 4]) await db().query(`INSERT INTO ${t} VALUES (${id}, 's${id}')`);

    for (let run = 0; run < 2; run++) {
      const refused = spawnChild(plan);
      const status = await waitForStatus(refused, (s) => s.phase === "failed", 60_000);
      expect(status.error?.code).toBe("DTS5008");
      expect(status.error?.message).toMatch(new RegExp(`^Kafka refused a message of 19\\d\\.\\d KiB for topic ${topic} \\(partition 0\\), the row of ${database}\\.o with key \\["${database}","o","1"\\]: `));
      await refused.exited;
      expect(await topicSize(topic)).toBe(0);
    }

    await setTopicLimit(topic, 1_000_000);
    const runtime = await startChild(plan);
    try {
      const changes = decodeChanges("canal-json", await readSettled(topic, 4, 60_000));
      expect(changes.map(idOf)).toEqual([1, 2, 3, 4]);
    } finally {
      await stopChild(runtime);
    }
  });
});

async function deleteTopic(topic: string): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).finally(() => admin.disconnect());
}

/** A producer of our own on the stack's broker, for messages too large to route through MariaDB here. */
async function connectedProducer(topic: string): Promise<IdempotentProducer> {
  const client = createKafka({ clientId: "dts-test-request-limit", brokers: [stackEnv().KAFKA_BROKERS as string] }, createLogger({ pretty: false, level: "warn" }));
  const producer = new IdempotentProducer(new KafkaCluster(client), { compression: null, maxInFlight: 5, ackTimeoutMs: 30_000, retries: 5, initialRetryMs: 300, maxRetryMs: 5_000 });
  await producer.connect([topic]);
  return producer;
}

describe("requests and the broker's socket.request.max.bytes", () => {
  // The topics would take the messages: only the request limit (100 MiB, the stack's default) stands in the way.
  const TOPIC_TAKES = 200 * 1024 * 1024;

  it("fails at once on a message larger than a request the broker reads, naming the limit, and sends nothing", async () => {
    const topic = uniqueName("request-limit");
    await createTopic(topic, TOPIC_TAKES);
    const producer = await connectedProducer(topic);
    try {
      await producer.send([{ topic, partition: 0, messages: [{ key: "small", value: "s" }] }]);
      const started = Date.now();
      const failed = await producer.send([{ topic, partition: 0, messages: [{ key: '["media","files","7"]', value: Buffer.alloc(101 * 1024 * 1024, 1) }] }]).catch((error: unknown) => error);
      const error = sendError(failed);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.message).toBe(
        `Kafka cannot take a message of 101.0 MiB for topic ${topic} (partition 0), the row of media.files with key ["media","files","7"]: a request holding it would be larger than the broker's socket.request.max.bytes (100.0 MiB), and the broker would close the connection`,
      );
      expect(error.retriable).toBe(false);
      expect(await topicSize(topic)).toBe(1);
    } finally {
      await producer.disconnect();
      await deleteTopic(topic);
    }
  });

  it("delivers batches that together pass it in requests of their own", async () => {
    const topic = uniqueName("request-split");
    await createTopic(topic, TOPIC_TAKES, 2);
    const producer = await connectedProducer(topic);
    try {
      const value = Buffer.alloc(60 * 1024 * 1024, 2);
      await producer.send([0, 1].map((partition) => ({ topic, partition, messages: [{ key: `k${partition}`, value }] })));
      expect(await topicSize(topic)).toBe(2);
    } finally {
      await producer.disconnect();
      await deleteTopic(topic);
    }
  });
});
