// The resume record, flat like Debezium's offset: where the binlog reader may restart so that
// nothing acknowledged is lost and nothing but the unacknowledged tail is sent twice.
import type { SnapshotProgress } from "../snapshot/snapshot-progress.js";

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
  /** Partition count of every topic written so far; a change refuses the restart (FORMATS.md §c.1). */
  partitionCounts: Record<string, number>;
  /** Initial sync progress: per table the key up to which chunks were delivered (docs/initial-sync.md). */
  snapshot?: SnapshotProgress;
  updatedAt: string;
}

export function isCheckpoint(value: unknown): value is Checkpoint {
  const v = value as Partial<Checkpoint> | null;
  return (
    typeof v === "object" && v !== null && v.version === 1 && typeof v.pipeline === "string" &&
    typeof v.position === "object" && v.position !== null && typeof v.position.file === "string" &&
    typeof v.position.offset === "number" && typeof v.partitionCounts === "object" && v.partitionCounts !== null
  );
}
