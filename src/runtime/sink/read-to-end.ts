// Reads a topic from its start to its end as of the call, as a read_committed consumer (kafkajs'
// default) sees it: messages of aborted transactions never arrive. The end is found by batches:
// their last offsets count transaction markers and aborted records, which no message shows, so
// on a transactional topic the message count and the end offsets never agree.
import type { Kafka, KafkaMessage } from "kafkajs";
import { applyKafkajsFixes } from "./kafkajs-fixes.js";

/** False when the topic does not exist; `onMessage` sees every committed message, in offset order per partition. */
export async function readToEnd(kafka: Kafka, topic: string, onMessage: (partition: number, message: KafkaMessage) => void, options: { groupId: string; timeoutMs: number }): Promise<boolean> {
  // kafkajs filters aborted records correctly only with this fix (kafkajs-fixes.ts).
  applyKafkajsFixes();
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    if (!(await admin.listTopics()).includes(topic)) return false;
    for (const o of await admin.fetchTopicOffsets(topic)) if (BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high));
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return true;
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading topic ${topic} to its end`)), options.timeoutMs);
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }: { payload: { partition: number; lastOffset: string } }) => {
        const end = ends.get(payload.partition);
        if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) ends.delete(payload.partition);
        if (ends.size > 0) return;
        clearTimeout(timer);
        resolve();
      });
      consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => onMessage(partition, message) }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return true;
}
