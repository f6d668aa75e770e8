// The kafkajs connection layer (bootstrap, SASL, TLS, metadata, reconnects), used without the
// kafkajs producer. That producer is too slow for a change stream: with idempotence it keeps one
// request per broker in flight, groups messages per partition in quadratic time and builds an
// encoder object per record. kafkajs hands its Cluster only to its own clients, through a
// private symbol, so this module is the one place that reaches into kafkajs 2.2.4 (pinned).
import { createRequire } from "node:module";
import type { Kafka } from "kafkajs";

const require = createRequire(import.meta.url);

/** A request as kafkajs' connection sends it: encode() must return an object with a `buf`/`buffer`. */
export interface ProtocolRequest<T> {
  request: { apiKey: number; apiVersion: number; apiName: string; encode: () => Promise<{ buf: Buffer; buffer: Buffer }> };
  response: { decode: (payload: Buffer) => Promise<T>; parse: (decoded: T) => Promise<T> };
}

/** A producer's identity in a transaction request. */
export interface TransactionMember {
  transactionalId: string;
  producerId: string;
  producerEpoch: number;
}

export interface ClusterBroker {
  nodeId: number;
  initProducerId(request: { transactionalId?: string; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
  addPartitionsToTxn(request: TransactionMember & { topics: { topic: string; partitions: number[] }[] }): Promise<unknown>;
  endTxn(request: TransactionMember & { transactionResult: boolean }): Promise<unknown>;
  connectionPool: { send<T>(request: ProtocolRequest<T>): Promise<T> };
  joinGroup(request: GroupJoinRequest): Promise<GroupJoinResponse>;
  syncGroup(request: { groupId: string; generationId: number; memberId: string; groupAssignment: { memberId: string; memberAssignment: Buffer }[] }): Promise<{ memberAssignment: Buffer }>;
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  describeGroups(request: { groupIds: string[] }): Promise<{ groups: DescribedGroup[] }>;
  listOffsets(request: { isolationLevel: number; topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[] }): Promise<{ responses: { topic: string; partitions: { partition: number; offset: string }[] }[] }>;
}

export interface GroupJoinRequest {
  groupId: string;
  sessionTimeout: number;
  rebalanceTimeout: number;
  memberId: string;
  protocolType: string;
  groupProtocols: { name: string; metadata: Buffer }[];
}

export interface GroupJoinResponse {
  generationId: number;
  groupProtocol: string;
  leaderId: string;
  memberId: string;
  members: { memberId: string; memberMetadata: Buffer }[];
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  /** Stable, PreparingRebalance, CompletingRebalance, Empty or Dead. */
  state: string;
  protocolType: string;
  members: { memberId: string; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }[];
}

interface PartitionMetadata {
  partitionId: number;
  leader: number | null;
}

interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  refreshMetadata(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
  findBroker(query: { nodeId: number }): Promise<ClusterBroker>;
  findControllerBroker(): Promise<ClusterBroker>;
  findGroupCoordinator(query: { groupId: string; coordinatorType: number }): Promise<ClusterBroker>;
  removeBroker(address: { host: string; port: number }): void;
}

type CreateCluster = (options: { allowAutoTopicCreation: boolean; maxInFlightRequests: number | null; metadataMaxAge?: number }) => InternalCluster;

/** kafkajs' KafkaJSProtocolError for a Kafka error code (type, message, retriable). */
export const createErrorFromCode = (require("kafkajs/src/protocol/error.js") as { createErrorFromCode: (code: number) => Error & { type: string; retriable: boolean } })
  .createErrorFromCode;

function clusterFactory(kafka: Kafka): CreateCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === "private:Kafka:createCluster");
  const factory = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  if (typeof factory !== "function") throw new Error("this kafkajs version does not expose its cluster factory: dts-kafka needs kafkajs 2.2.4");
  return factory as CreateCluster;
}

/** A request after disconnect(): refused, since kafkajs would quietly open a new connection. */
export class KafkaClusterClosedError extends Error {
  override readonly name = "KafkaClusterClosedError";
  readonly retriable = false;

  constructor() {
    super("the Kafka connection was closed");
  }
}

/**
 * The brokers behind a plan's destination, with leaders looked up from cached metadata. Once
 * disconnected it stays closed: a retry still under way when its session ended (a transaction
 * request waiting out CONCURRENT_TRANSACTIONS, a produce recovery) would otherwise reconnect,
 * and that connection, owned by no one, keeps the process from exiting.
 */
export class KafkaCluster {
  readonly #cluster: InternalCluster;
  #closed = false;

  constructor(kafka: Kafka) {
    this.#cluster = clusterFactory(kafka)({ allowAutoTopicCreation: false, maxInFlightRequests: null });
  }

  /** Connects and loads the topics' metadata (kafkajs refreshes it when target topics are added). */
  connect(topics: string[]): Promise<void> {
    return this.#whileOpen(async () => {
      await this.#cluster.connect();
      await this.#cluster.addMultipleTargetTopics(topics);
    });
  }

  /** Loads the metadata of topics a changed spec writes to as well. */
  addTopics(topics: string[]): Promise<void> {
    return this.#whileOpen(() => this.#cluster.addMultipleTargetTopics(topics));
  }

  /** Reconnects when every broker connection is gone, and reloads the topics' metadata. */
  refresh(): Promise<void> {
    return this.#whileOpen(async () => {
      if (!this.#cluster.isConnected()) await this.#cluster.connect();
      await this.#cluster.refreshMetadata();
    });
  }

  /** Drops a broker whose connection closed, so the next lookup connects afresh. */
  forget(address: { host: string; port: number }): void {
    this.#cluster.removeBroker(address);
  }

  leaderId(topic: string, partition: number): number {
    const metadata = this.#cluster.findTopicPartitionMetadata(topic).find((p) => p.partitionId === partition);
    if (!metadata || metadata.leader === null || metadata.leader < 0) {
      throw Object.assign(new Error(`no leader is known for ${topic} partition ${partition}`), { retriable: true, type: "LEADER_NOT_AVAILABLE" });
    }
    return metadata.leader;
  }

  /** The brokers leading any partition of `topics`, as the cached metadata says. */
  leaderIds(topics: readonly string[]): number[] {
    const ids = new Set<number>();
    for (const topic of topics) for (const p of this.#cluster.findTopicPartitionMetadata(topic)) if (p.leader !== null && p.leader >= 0) ids.add(p.leader);
    return [...ids];
  }

  broker(nodeId: number): Promise<ClusterBroker> {
    return this.#whileOpen(() => this.#cluster.findBroker({ nodeId }));
  }

  /** The broker coordinating a transactional id's transactions (coordinator type 1). */
  transactionCoordinator(transactionalId: string): Promise<ClusterBroker> {
    return this.#whileOpen(() => this.#cluster.findGroupCoordinator({ groupId: transactionalId, coordinatorType: 1 }));
  }

  /** The broker coordinating a group's membership (coordinator type 0). */
  groupCoordinator(groupId: string): Promise<ClusterBroker> {
    return this.#whileOpen(() => this.#cluster.findGroupCoordinator({ groupId, coordinatorType: 0 }));
  }

  /**
   * Each partition's first offset, its end as a read_committed reader sees it (`stable`: the last
   * stable offset, before any producer's open transaction) and its high watermark (`high`: past
   * every record written, open transactions' included).
   */
  offsetRange(topic: string): Promise<Map<number, { low: bigint; stable: bigint; high: bigint }>> {
    return this.#whileOpen(async () => {
      await this.#cluster.addMultipleTargetTopics([topic]);
      const byLeader = new Map<number, number[]>();
      for (const p of this.#cluster.findTopicPartitionMetadata(topic)) byLeader.set(p.leader ?? -1, [...(byLeader.get(p.leader ?? -1) ?? []), p.partitionId]);
      const ranges = new Map<number, { low: bigint; stable: bigint; high: bigint }>();
      for (const [leader, partitions] of byLeader) {
        if (leader < 0) throw Object.assign(new Error(`no leader is known for a partition of ${topic}`), { retriable: true, type: "LEADER_NOT_AVAILABLE" });
        const broker = await this.#cluster.findBroker({ nodeId: leader });
        // Timestamp -2 asks for the earliest offset, -1 for the latest; isolation level 0 is READ_UNCOMMITTED, 1 READ_COMMITTED.
        const at = async (timestamp: number, isolationLevel: number) => {
          const { responses } = await broker.listOffsets({ isolationLevel, topics: [{ topic, partitions: partitions.map((partition) => ({ partition, timestamp })) }] });
          return new Map(responses.flatMap((r) => r.partitions).map((p) => [p.partition, BigInt(p.offset)]));
        };
        const [lows, stables, highs] = [await at(-2, 0), await at(-1, 1), await at(-1, 0)];
        for (const [partition, high] of highs) ranges.set(partition, { low: lows.get(partition) ?? 0n, stable: stables.get(partition) ?? high, high });
      }
      return ranges;
    });
  }

  /** A producer id and epoch for an idempotent (not transactional) producer. */
  async initProducerId(): Promise<{ producerId: bigint; producerEpoch: number }> {
    const broker = await this.#whileOpen(() => this.#cluster.findControllerBroker());
    const { producerId, producerEpoch } = await broker.initProducerId({ transactionTimeout: 60_000 });
    return { producerId: BigInt(producerId), producerEpoch };
  }

  /** Closes every connection for good; later requests are refused (KafkaClusterClosedError). */
  disconnect(): Promise<void> {
    this.#closed = true;
    return this.#cluster.disconnect();
  }

  /** Runs a call that may connect, unless closed; closes again what a call that raced disconnect() opened. */
  async #whileOpen<T>(call: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new KafkaClusterClosedError();
    const result = await call();
    if (this.#closed) {
      await this.#cluster.disconnect().catch(() => undefined);
      throw new KafkaClusterClosedError();
    }
    return result;
  }
}
