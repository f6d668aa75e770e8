// A pipeline's Kafka transactions (exactly-once delivery): its transactional id's producer id
// and epoch from the transaction coordinator, the partitions each transaction writes (announced
// before the first record goes to them, as the coordinator and KIP-890's server-side checks
// require), and the commit. Taking the id again (InitProducerId) bumps its epoch: the broker then
// rejects every write of an older holder (a zombie) and aborts the transaction it left open.
import { RuntimeError } from "../errors.js";
import type { ClusterBroker, KafkaCluster, TransactionMember } from "./kafka-cluster.js";

type ProtocolError = Error & { type?: string; retriable?: boolean };

/** Errors that go away by themselves: a previous transaction still completing, a coordinator moving. */
const transient = new Set(["CONCURRENT_TRANSACTIONS", "COORDINATOR_LOAD_IN_PROGRESS", "COORDINATOR_NOT_AVAILABLE", "NOT_COORDINATOR", "REQUEST_TIMED_OUT"]);
const fencing = new Set(["INVALID_PRODUCER_EPOCH", "PRODUCER_FENCED", "TRANSACTIONAL_ID_NOT_FOUND"]);

export interface TransactionOptions {
  transactionalId: string;
  /** The coordinator aborts a transaction left open longer than this. */
  timeoutMs: number;
  retries?: number;
}

export class KafkaTransactions {
  readonly #cluster: KafkaCluster;
  readonly #options: TransactionOptions;
  #member: TransactionMember | null = null;
  /** Partitions the open transaction writes, as topic\0partition. */
  readonly #added = new Set<string>();

  constructor(cluster: KafkaCluster, options: TransactionOptions) {
    this.#cluster = cluster;
    this.#options = options;
  }

  get transactionalId(): string {
    return this.#options.transactionalId;
  }

  /** True once a partition was written in the open transaction. */
  get open(): boolean {
    return this.#added.size > 0;
  }

  /** Takes the transactional id: a new epoch, which fences every earlier holder. */
  async init(): Promise<{ producerId: bigint; producerEpoch: number }> {
    const { transactionalId, timeoutMs } = this.#options;
    // Once per session: the producer asks again when it connects.
    if (this.#member) return { producerId: BigInt(this.#member.producerId), producerEpoch: this.#member.producerEpoch };
    const { producerId, producerEpoch } = await this.#withCoordinator((broker) => broker.initProducerId({ transactionalId, transactionTimeout: timeoutMs }));
    this.#member = { transactionalId, producerId, producerEpoch };
    this.#added.clear();
    return { producerId: BigInt(producerId), producerEpoch };
  }

  /** Announces the partitions of `parts` the open transaction does not write yet. */
  async addPartitions(parts: readonly { topic: string; partition: number }[]): Promise<void> {
    const fresh = parts.filter((p) => !this.#added.has(`${p.topic}\u0000${p.partition}`));
    if (fresh.length === 0) return;
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of fresh) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    await this.#withCoordinator((broker) => broker.addPartitionsToTxn({ ...this.#identity(), topics }));
    for (const { topic, partition } of fresh) this.#added.add(`${topic}\u0000${partition}`);
  }

  /** Commits the open transaction (nothing to do when it wrote nothing). */
  async commit(): Promise<void> {
    if (!this.open) return;
    await this.#withCoordinator((broker) => broker.endTxn({ ...this.#identity(), transactionResult: true }));
    this.#added.clear();
  }

  #identity(): TransactionMember {
    if (!this.#member) throw new Error("kafka transactions: init() first");
    return this.#member;
  }

  /** Sends to the coordinator, finding it again and waiting out transient errors. */
  async #withCoordinator<T>(request: (broker: ClusterBroker) => Promise<T>): Promise<T> {
    const retries = this.#options.retries ?? 20;
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(await this.#cluster.transactionCoordinator(this.#options.transactionalId));
      } catch (error) {
        const type = (error as ProtocolError).type ?? "";
        if (fencing.has(type)) throw fencedError(this.#options.transactionalId, error);
        if (attempt >= retries || !(transient.has(type) || (error as ProtocolError).retriable === true)) throw transactionError(error);
        if (type === "NOT_COORDINATOR" || type === "COORDINATOR_NOT_AVAILABLE") await this.#cluster.refresh().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      }
    }
  }
}

export function fencedError(transactionalId: string, cause: unknown): RuntimeError {
  return new RuntimeError("fenced", `the Kafka transactional id ${transactionalId} has a newer epoch: another process took the pipeline over, or a transaction stayed open past the transaction timeout; what was not committed is aborted`, {
    cause,
    hint: "make sure only one process runs this pipeline; a single source transaction must be sent within the transaction timeout (5 min)",
  });
}

/**
 * A protocol error keeps Kafka's own verdict. Anything else is the client failing to reach a
 * broker or the coordinator (kafkajs calls a coordinator it cannot find non-retriable): an
 * outage, which the pipeline's retry window is there to wait out.
 */
function transactionError(cause: unknown): RuntimeError {
  const error = cause as ProtocolError;
  const retriable = error.type ? error.retriable !== false : true;
  return new RuntimeError("sink-send", `a Kafka transaction request failed: ${error.message}`, { cause, retriable });
}
