import { describe, expect, it } from "vitest";
import { refusedBatch, requestTooLarge, sendError } from "../../src/runtime/sink/kafka-errors.js";
import { encodeRecordBatch } from "../../src/runtime/sink/record-batch.js";

const tooLarge = (fields: object) => Object.assign(new Error("The request included a message larger than the max message size the server will accept"), { type: "MESSAGE_TOO_LARGE", retriable: false }, fields);

describe("sendError", () => {
  it("names the topic, the partition and the message's size when Kafka refuses one row's message", () => {
    const error = sendError(tooLarge({ topic: "orders", partition: 2, batchBytes: 3 * 1024 * 1024, records: 1 }));
    expect(error.message).toBe("Kafka refused a message of 3.0 MiB for topic orders (partition 2): The request included a message larger than the max message size the server will accept");
    expect(error.hint).toContain("leave the large columns out");
    expect(error.retriable).toBe(false);
    expect(error.problemCode).toBe("DTS5008");
  });

  it("names the table and the key of the row when the refused batch holds one keyed message", async () => {
    const identity = { producerId: 1n, producerEpoch: 0, baseSequence: 0, timestamp: 0 };
    const batch = await encodeRecordBatch([{ key: '["shop","orders","42"]', value: "x".repeat(200_000) }], identity, null);
    const error = sendError(tooLarge(refusedBatch({ topic: "shared", partition: 2, batch })));
    expect(error.message).toBe('Kafka refused a message of 195.4 KiB for topic shared (partition 2), the row of shop.orders with key ["shop","orders","42"]: The request included a message larger than the max message size the server will accept');
    // A compressed batch's key is the one the producer kept; a long key is cut.
    const gzipped = await encodeRecordBatch([{ key: "k", value: "v" }], identity, { attribute: 1, compress: async (block) => block });
    const longKey = JSON.stringify(["shop", "notes", "n".repeat(500)]);
    expect(sendError(tooLarge(refusedBatch({ topic: "t", partition: 0, batch: gzipped, key: Buffer.from(longKey) }))).message).toContain(`, the row of shop.notes with key ${longKey.slice(0, 200)}…: `);
    // Without a key (DDL, tables without a primary key), or with many messages, no row is named.
    const keyless = await encodeRecordBatch([{ key: null, value: "v" }], identity, null);
    expect(sendError(tooLarge(refusedBatch({ topic: "t", partition: 0, batch: keyless }))).message).toMatch(/^Kafka refused a message of \d+ bytes for topic t \(partition 0\): /);
    const many = await encodeRecordBatch([{ key: "a", value: "v" }, { key: "b", value: "v" }], identity, null);
    expect(refusedBatch({ topic: "t", partition: 0, batch: many }).key).toBeUndefined();
  });

  it("says which broker limit a message too large for one request passes, and how to fix it", async () => {
    const identity = { producerId: 1n, producerEpoch: 0, baseSequence: 0, timestamp: 0 };
    const batch = await encodeRecordBatch([{ key: '["media","files","7"]', value: Buffer.alloc(3 * 1024 * 1024) }], identity, null);
    const error = sendError(requestTooLarge({ topic: "media", partition: 0, batch }, 2 * 1024 * 1024));
    expect(error.message).toBe(
      'Kafka cannot take a message of 3.0 MiB for topic media (partition 0), the row of media.files with key ["media","files","7"]: a request holding it would be larger than the broker\'s socket.request.max.bytes (2.0 MiB), and the broker would close the connection',
    );
    expect(error.hint).toMatch(/raise socket\.request\.max\.bytes on every broker.*columns \{ exclude = \[\.\.\.\] \}.*compression/);
    expect(error.retriable).toBe(false);
    expect(error.problemCode).toBe("DTS5008");
  });

  it("tells a batch of many messages from one large message", () => {
    const error = sendError(tooLarge({ topic: "orders", partition: 0, batchBytes: 900 * 1024, records: 812 }));
    expect(error.message).toMatch(/^Kafka refused a batch of 812 messages \(900\.0 KiB\) for topic orders \(partition 0\)/);
    expect(error.hint).toContain("max.message.bytes");
    // The topic's limit may have been lowered since the session read it: the next session reads it again.
    expect(error.retriable).toBe(true);
  });

  it("tells a broker that did not answer from Kafka refusing the data", () => {
    const reset = Object.assign(new Error("Connection error: read ECONNRESET"), { name: "KafkaJSConnectionError" });
    const timeout = Object.assign(new Error("Request Produce(key: 0, version: 3) timed out"), { name: "KafkaJSRequestTimeoutError" });
    for (const error of [sendError(reset), sendError(timeout)]) {
      expect(error.problemCode).toBe("DTS5007");
      expect(error.retriable).toBe(true);
      expect(error.message).toMatch(/^Kafka did not answer while messages were sent: /);
    }
    expect(sendError(new Error("The coordinator is not aware of this member")).problemCode).toBe("DTS5008");
  });

  it("names the topic of messages a compacted topic refuses for having no key, and says why it may be", () => {
    const invalid = Object.assign(new Error("This record has failed the validation on broker and hence be rejected"), { type: "INVALID_RECORD", retriable: false, topic: "shop.changes", partition: 1, batchBytes: 900, records: 3 });
    const error = sendError(invalid);
    expect(error.message).toBe("Kafka refused the messages for topic shop.changes (partition 1): This record has failed the validation on broker and hence be rejected");
    expect(error.hint).toContain("cleanup.policy=compact");
    expect(error.retriable).toBe(false);
  });

  it("keeps Kafka's words when it does not say where the batch went", () => {
    const error = sendError(tooLarge({}));
    expect(error.message).toBe("Kafka did not accept messages: The request included a message larger than the max message size the server will accept");
    expect(error.retriable).toBe(false);
  });
});
