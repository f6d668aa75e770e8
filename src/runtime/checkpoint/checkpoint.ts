// The resume record, flat like Debezium's offset: where the binlog reader may restart so that
// nothing acknowledged is lost and nothing but the unacknowledged tail is sent twice.
import { snapshotProgressProblem, type SnapshotProgress } from "../snapshot/snapshot-progress.js";
import { isSelection, type Selection } from "../select/selection.js";
import type { SafePoint } from "./tracker.js";

/** A transaction boundary in the source's binlog. */
export interface BinlogResumePosition {
  /** Binlog file name; "" when only the GTID set is known (a GTID start). */
  file: string;
  /** Byte offset just after the transaction's commit event. */
  offset: number;
  /** Executed GTID set after the transaction (MySQL `uuid:1-5`, MariaDB `0-1-42`), or null when unknown. */
  gtidSet: string | null;
}

export interface Checkpoint {
  version: 1;
  pipeline: string;
  position: BinlogResumePosition;
  /** Binlog header time of the last acknowledged transaction, seconds since the epoch; 0 when none yet. */
  eventTimeSeconds: number;
  /** Partition count of every topic written so far; a change refuses the restart (docs/runtime.md, Partitions). */
  partitionCounts: Record<string, number>;
  /** Initial sync progress: per table the key up to which chunks were delivered (docs/initial-sync.md). */
  snapshot?: SnapshotProgress;
  /** The tables selected as of this position; a restart on a spec that selects more syncs the new ones first. */
  selection?: Selection;
  /** @@server_id of the server the position was read from: on another server the position means nothing and the GTID set is used. */
  sourceServerId?: number;
  /** The listed address (`host:port`) of that server: a new run resumes on it while the spec lists it (docs/runtime.md, Failover between servers). */
  sourceServer?: string;
  updatedAt: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;

function positionProblem(value: unknown): string | null {
  if (!isRecord(value)) return "position is missing";
  if (typeof value.file !== "string") return "position.file must be a binlog file name";
  if (!isCount(value.offset)) return "position.offset must be a byte offset";
  if (value.gtidSet !== null && value.gtidSet !== undefined && typeof value.gtidSet !== "string") return "position.gtidSet must be text or null";
  return null;
}

/** What is wrong with a stored checkpoint, or null when it can be resumed from. */
export function checkpointProblem(value: unknown): string | null {
  if (!isRecord(value)) return "it is not a JSON object";
  if (value.version !== 1) return `its version is ${JSON.stringify(value.version)}; this dts reads version 1`;
  if (typeof value.pipeline !== "string") return "it names no pipeline";
  const position = positionProblem(value.position);
  if (position) return position;
  if (typeof value.eventTimeSeconds !== "number") return "eventTimeSeconds must be a number";
  if (!isRecord(value.partitionCounts) || !Object.values(value.partitionCounts).every(isCount)) return "partitionCounts must map topics to partition counts";
  if (value.snapshot !== undefined) {
    const snapshot = snapshotProgressProblem(value.snapshot);
    if (snapshot) return `its initial-sync progress (snapshot) is damaged: ${snapshot}`;
  }
  if (value.selection !== undefined && !isSelection(value.selection)) return "its table selection (selection) is damaged";
  if (value.sourceServerId !== undefined && !isCount(value.sourceServerId)) return "sourceServerId must be a server id";
  if (value.sourceServer !== undefined && typeof value.sourceServer !== "string") return "sourceServer must be a server address";
  return null;
}

/** The server a checkpoint's position was read from, as far as it is known. */
export type CheckpointServer = Pick<Checkpoint, "sourceServerId" | "sourceServer">;

/** The checkpoint of a pipeline at a safe point, with the partition counts of the topics written; `selection` when the point carries none. */
export function checkpointAt(pipeline: string, point: SafePoint, partitionCounts: Record<string, number>, selection: Selection, server: CheckpointServer | null): Checkpoint {
  return {
    version: 1,
    pipeline,
    position: point.position,
    eventTimeSeconds: point.eventTimeSeconds,
    partitionCounts,
    ...(point.snapshot ? { snapshot: point.snapshot } : {}),
    selection: point.selection ?? selection,
    ...(server?.sourceServerId !== undefined ? { sourceServerId: server.sourceServerId } : {}),
    ...(server?.sourceServer !== undefined ? { sourceServer: server.sourceServer } : {}),
    updatedAt: new Date().toISOString(),
  };
}
