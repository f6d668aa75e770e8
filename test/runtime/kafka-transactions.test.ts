// How a failed transaction request counts for the pipeline: Kafka's verdict on its own errors,
// an outage (no broker, no coordinator) as worth waiting out, a newer epoch as fenced.
import kafkajs from "kafkajs";
import { describe, expect, it } from "vitest";
import type { RuntimeError } from "../../src/runtime/errors.js";
import { createErrorFromCode, type KafkaCluster } from "../../src/runtime/sink/kafka-cluster.js";
import { KafkaTransactions } from "../../src/runtime/sink/kafka-transactions.js";

function failingWith(error: Error): KafkaTransactions {
  const cluster = { transactionCoordinator: async () => Promise.reject(error), refresh: async () => undefined } as unknown as KafkaCluster;
  return new KafkaTransactions(cluster, { transactionalId: "dts:t:p", timeoutMs: 60_000, retries: 0 });
}

async function failure(error: Error): Promise<RuntimeError> {
  return (await failingWith(error).init().then(() => null, (e: unknown) => e)) as RuntimeError;
}

describe("Kafka transaction request failures", () => {
  it("wait out a coordinator or broker that cannot be reached", async () => {
    // kafkajs's types give its error classes no arguments; they take the message.
    const NotFound = kafkajs.KafkaJSGroupCoordinatorNotFound as unknown as new (message: string) => Error & { retriable: boolean };
    const coordinatorMissing = new NotFound("Failed to find group coordinator");
    expect(coordinatorMissing.retriable).toBe(false);
    expect(await failure(coordinatorMissing)).toMatchObject({ code: "sink-send", retriable: true });
    expect(await failure(new kafkajs.KafkaJSConnectionError("Connection error: connect ECONNREFUSED"))).toMatchObject({ retriable: true });
  });

  it("keep Kafka's verdict on its own errors, and fence on a newer epoch", async () => {
    expect(await failure(createErrorFromCode(53))).toMatchObject({ code: "sink-send", retriable: false }); // TRANSACTIONAL_ID_AUTHORIZATION_FAILED
    expect(await failure(createErrorFromCode(47))).toMatchObject({ code: "fenced" }); // INVALID_PRODUCER_EPOCH
  });
});
