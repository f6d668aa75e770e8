// Checkpoints of every pipeline share the checkpoint topic's partition. A read_committed reader
// that took its end from ListOffsets as read_committed (the last stable offset) stopped before
// another pipeline's open transaction, so a pipeline's own newer committed checkpoint after it
// went unread: a new session resumed from the one before and sent its changes again (found by
// the three-worker group test under exactly-once). The end is now every record written, and the
// read waits for the other transaction to end, for a short while.
import type { Transaction } from "kafkajs";
import { describe, expect, it } from "vitest";
import { readKafkaCheckpoint } from "../../src/runtime/checkpoint/kafka-store.js";
import { exportStackEnv, kafka, uniqueName } from "./runtime-helpers.js";

const checkpoint = (pipeline: string, gtidSet: string) =>
  JSON.stringify({ version: 1, pipeline, position: { file: "mariadb-bin.000001", offset: 4, gtidSet }, eventTimeSeconds: 1, partitionCounts: { t: 1 }, updatedAt: "2026-12-02T00:00:00Z" });

/**
 * A one-partition checkpoint topic where pipeline pa committed 0-1-100, pipeline pb then opened a
 * transaction holding its checkpoint, and pa committed 0-1-200 after it. `check` gets the topic,
 * the client and pb's open transaction.
 */
async function behindAnOpenTransaction(name: string, check: (topic: string, client: ReturnType<typeof kafka>, open: Transaction) => Promise<void>): Promise<void> {
  exportStackEnv();
  const client = kafka();
  const topic = uniqueName(name);
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] }], waitForLeaders: true });
  const a = client.producer({ transactionalId: `test:${topic}:a`, idempotent: true, maxInFlightRequests: 1 });
  const b = client.producer({ transactionalId: `test:${topic}:b`, idempotent: true, maxInFlightRequests: 1 });
  await a.connect();
  await b.connect();
  try {
    let tx = await a.transaction();
    await tx.send({ topic, messages: [{ key: "pa", value: checkpoint("pa", "0-1-100") }] });
    await tx.commit();
    const open = await b.transaction();
    await open.send({ topic, messages: [{ key: "pb", value: checkpoint("pb", "0-1-150") }] });
    tx = await a.transaction();
    await tx.send({ topic, messages: [{ key: "pa", value: checkpoint("pa", "0-1-200") }] });
    await tx.commit();
    await check(topic, client, open);
  } finally {
    await a.disconnect();
    await b.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  }
}

describe("reading a pipeline's checkpoint from a shared checkpoint topic", () => {
  it("finds its newest committed checkpoint behind another pipeline's open transaction", async () => {
    await behindAnOpenTransaction("ckpt-shared", async (topic, client, open) => {
      // Pipeline pb's commit comes a moment later, as a commit under way does.
      setTimeout(() => void open.commit(), 1000);
      const found = await readKafkaCheckpoint(client, topic, "pa", { timeoutMs: 20_000 });
      expect(found?.position.gtidSet).toBe("0-1-200");
    });
  });

  it("ends with the committed checkpoint before a transaction that stays open, saying so", async () => {
    // A run that died mid-transaction: nothing ends it while the read waits.
    await behindAnOpenTransaction("ckpt-open", async (topic, client, open) => {
      const warnings: string[] = [];
      const found = await readKafkaCheckpoint(client, topic, "pa", { timeoutMs: 20_000, log: { warn: (_: unknown, message: string) => void warnings.push(message) } as never });
      expect(found?.position.gtidSet).toBe("0-1-100");
      expect(warnings).toEqual([expect.stringMatching(/^transactions on the checkpoint topic stayed open/)]);
      await open.abort();
    });
  });
});
