import { describe, expect, it } from "vitest";
import { sendError } from "../../src/runtime/sink/kafka-errors.js";

const tooLarge = (fields: object) => Object.assign(new Error("The request included a message larger than the max message size the server will accept"), { type: "MESSAGE_TOO_LARGE", retriable: false }, fields);

describe("sendError", () => {
  it("names the topic, the partition and the message's size when Kafka refuses one row's message", () => {
    const error = sendError(tooLarge({ topic: "orders", partition: 2, batchBytes: 3 * 1024 * 1024, records: 1 }));
    expect(error.message).toBe("Kafka refused a message of 3.0 MiB for topic orders (partition 2): The request included a message larger than the max message size the server will accept");
    expect(error.hint).toContain("leave the large columns out");
    expect(error.retriable).toBe(false);
    expect(error.problemCode).toBe("DTS5008");
  });

  it("tells a batch of many messages from one large message", () => {
    const error = sendError(tooLarge({ topic: "orders", partition: 0, batchBytes: 900 * 1024, records: 812 }));
    expect(error.message).toMatch(/^Kafka refused a batch of 812 messages \(0\.9 MiB\) for topic orders \(partition 0\)/);
    expect(error.hint).toContain("max.message.bytes");
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
