// Reads a topic from its start to its end as of the call, as a read_committed consumer (kafkajs'
// default) sees it: messages of aborted transactions never arrive. The end is found by batches:
// their last offsets count transaction markers and aborted records, which no message shows, so
// on a transactional topic the message count and the end offsets never agree. The end is every
// record written as of the call (the high watermark): a read_committed end (the last stable
// offset) stops before another producer's open transaction and would miss committed records
// after it, such as a pipeline's own newer checkpoint on a checkpoint topic all pipelines
// share. The reader waits for such a transaction to end.
import type { Kafka, KafkaMessage } from "kafkajs";
import { KafkaCluster } from "./kafka-cluster.js";
import { applyKafkajsFixes } from "./kafkajs-fixes.js";

/** How long the read waits, once past every committed record, for transactions still open to end. */
const OPEN_TRANSACTION_WAIT_MS = 5_000;

export interface ReadToEndOptions {
  groupId: string;
  timeoutMs: number;
  /**
   * Called when transactions open at the start were still open after the wait (a producer that
   * died mid-transaction, aborted only by its next session or the transaction timeout): the read
   * ends with the committed records before them.
   */
  onOpenTransactions?: () => void;
}

/** False when the topic does not exist; `onMessage` sees every committed message, in offset order per partition. */
export async function readToEnd(kafka: Kafka, topic: string, onMessage: (partition: number, message: KafkaMessage) => void, options: ReadToEndOptions): Promise<boolean> {
  // kafkajs filters aborted records correctly only with this fix (kafkajs-fixes.ts).
  applyKafkajsFixes();
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return false;
  } finally {
    await admin.disconnect();
  }
  // Per partition with records: the committed end, then every record written.
  const stable = new Map<number, bigint>();
  const ends = new Map<number, bigint>();
  const cluster = new KafkaCluster(kafka);
  try {
    await cluster.connect([]);
    for (const [partition, range] of await cluster.offsetRange(topic)) {
      if (range.stable > range.low) stable.set(partition, range.stable);
      if (range.high > range.low) ends.set(partition, range.high);
    }
  } finally {
    await cluster.disconnect();
  }
  if (ends.size === 0) return true;
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      let stableAt: number | null = null;
      const finish = (error?: unknown) => {
        clearTimeout(timer);
        clearInterval(waiting);
        if (error === undefined) resolve();
        else reject(error);
      };
      const timer = setTimeout(() => finish(new Error(`timed out reading topic ${topic} to its end`)), options.timeoutMs);
      // Past every committed record, the rest waits for open transactions: not for ever.
      const waiting = setInterval(() => {
        if (stable.size > 0 || ends.size === 0) return;
        stableAt ??= Date.now();
        if (Date.now() - stableAt < OPEN_TRANSACTION_WAIT_MS) return;
        options.onOpenTransactions?.();
        finish();
      }, 200);
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }: { payload: { partition: number; lastOffset: string } }) => {
        const next = BigInt(payload.lastOffset) + 1n;
        if (next >= (stable.get(payload.partition) ?? 0n)) stable.delete(payload.partition);
        if (next >= (ends.get(payload.partition) ?? 0n)) ends.delete(payload.partition);
        if (ends.size === 0) finish();
      });
      consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => onMessage(partition, message) }).catch(finish);
    });
  } finally {
    await consumer.disconnect();
  }
  return true;
}
