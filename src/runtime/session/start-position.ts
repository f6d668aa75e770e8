// Where a session resumes: the checkpoint in the state folder, else the last one kept in the
// Kafka checkpoint topic; and where the binlog stream opens: a data sync's own start, the
// checkpoint's position, or the plan's start_from.
import type { Kafka } from "kafkajs";
import type { Pipeline } from "../../generated/plan.js";
import type { Checkpoint } from "../checkpoint/checkpoint.js";
import { readKafkaCheckpoint } from "../checkpoint/kafka-store.js";
import type { SafePoint } from "../checkpoint/tracker.js";
import { RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { wrapKafka } from "../sink/kafka-errors.js";
import type { StreamStart } from "../source/binlog-reader.js";
import { checkGtidStart, type GtidStartServer } from "../source/gtid-start-check.js";
import { checkPositionAvailable, type ServerFacts } from "../source/server-checks.js";
import type { PreparedSnapshot } from "../snapshot/index.js";
import { selectionOf } from "../select/selection.js";
import { isExactlyOnce } from "./exactly-once.js";
import type { SessionCheckpointSink } from "./session-deps.js";

/** The checkpoint to resume from; one found in Kafka is adopted into the state folder. */
export async function resumeCheckpoint(checkpoints: SessionCheckpointSink, kafka: Kafka, pipeline: Pipeline, log: Logger): Promise<Checkpoint | null> {
  const saved = checkpoints.current();
  const topic = pipeline.checkpoint.topic;
  // Exactly-once commits the checkpoint with the messages: the committed one in Kafka is the
  // truth, and the state folder's copy, written after the commit, may lag behind it.
  const kafkaFirst = isExactlyOnce(pipeline);
  if (!topic || (saved && !kafkaFirst)) return saved;
  const checkpoint = await wrapKafka(() => readKafkaCheckpoint(kafka, topic, pipeline.name, { log }), `read checkpoints from topic ${topic}`, pipeline.destination.brokers);
  if (!checkpoint) return saved;
  log.info({ position: checkpoint.position, topic }, "resuming from the checkpoint kept in Kafka");
  checkpoints.adopt(checkpoint);
  return checkpoint;
}

export interface StreamOpening {
  start: StreamStart;
  /** With start_from at a timestamp: data committed before this time is read but not sent. */
  skipBeforeSeconds: number | null;
}

/** Where the binlog stream opens for this session. */
export function streamOpening(pipeline: Pipeline, checkpoint: Checkpoint | null, prepared: PreparedSnapshot | null, server: StartServer): StreamOpening {
  // A data sync streams from its own start; a schema-only sync keeps the plan's start.
  const snapshotStart = pipeline.initialSync.data ? prepared?.startPoint : null;
  if (snapshotStart) {
    const { file, offset, executedGtids } = snapshotStart;
    return { start: { kind: "position", file, offset, ...(executedGtids ? { gtidSeed: executedGtids } : {}) }, skipBeforeSeconds: null };
  }
  if (checkpoint) return { start: checkpointStart(checkpoint, server), skipBeforeSeconds: pipeline.initialSync.data ? null : resumedSkip(pipeline, checkpoint) };
  return startFromPlan(pipeline.source.startFrom, server);
}

/**
 * A resume of a start at a timestamp may still lie before it (checkpoints move while the skipped
 * part is read): it skips the same way. One whose checkpoint reached the timestamp is past the
 * skip, which ended there: a later change with an older time (SET timestamp, a replica's
 * replayed events) is sent, as the session that read on would have sent it.
 */
function resumedSkip(pipeline: Pipeline, checkpoint: Checkpoint): number | null {
  const skipBefore = timestampSeconds(pipeline.source.startFrom);
  return skipBefore !== null && checkpoint.eventTimeSeconds < skipBefore ? skipBefore : null;
}

function timestampSeconds(startFrom: Pipeline["source"]["startFrom"]): number | null {
  return startFrom.kind === "timestamp" ? Math.floor(startFrom.epochMillis / 1000) : null;
}

type StartServer = Pick<ServerFacts, "binlogs" | "serverId"> & GtidStartServer;

/** A start by GTID, once the server's binlog is seen to hold the set (or the facts cannot tell). */
function gtidStart(gtidSet: string, server: StartServer, readOn: number | null): StreamStart {
  return checkGtidStart(gtidSet, server, readOn) ? { kind: "gtid", gtidSet, heldByServer: true } : { kind: "gtid", gtidSet };
}

/**
 * Resuming from a checkpoint: by file and offset on the server that wrote it; on another server
 * of the same replication topology (a replica, a new primary), where files and offsets differ,
 * by the GTID position, which names the same transactions everywhere. MySQL resumes by its GTID
 * set whenever the checkpoint has one: opened by file and offset mid-file, MySQL cannot say its
 * GTID state there (MariaDB's BINLOG_GTID_POS can), and the next checkpoints would lose it.
 */
function checkpointStart(checkpoint: Checkpoint, server: StartServer): StreamStart {
  const { position } = checkpoint;
  const moved = checkpoint.sourceServerId !== undefined && server.serverId !== null && checkpoint.sourceServerId !== server.serverId;
  const mysqlGtids = server.isMariaDb === false && position.gtidSet?.includes(":") === true;
  if (position.file === "" || moved || mysqlGtids) {
    if (position.gtidSet) return gtidStart(position.gtidSet, server, moved ? (checkpoint.sourceServerId ?? null) : null);
    throw new RuntimeError("source-settings", `the checkpoint was written reading the server with server_id ${checkpoint.sourceServerId}, this is server_id ${server.serverId}, and the checkpoint has no GTID position to resume from on another server`, {
      hint: "point the pipeline back at the server it was reading, or start it over with a new initial sync (remove its state folder, and use a new checkpoint topic if the spec keeps checkpoints in Kafka)",
    });
  }
  checkPositionAvailable(position, server.binlogs);
  return { kind: "position", file: position.file, offset: position.offset };
}

function startFromPlan(startFrom: Pipeline["source"]["startFrom"], server: StartServer): StreamOpening {
  const oldestBinlog = server.binlogs[0]?.name;
  const at = (start: StreamStart): StreamOpening => ({ start, skipBeforeSeconds: null });
  switch (startFrom.kind) {
    case "latest":
      return at({ kind: "latest" });
    case "earliest":
    case "timestamp": {
      if (!oldestBinlog) throw new RuntimeError("source-settings", "the source has no binlog files", { hint: "enable binary logging on the source" });
      const start: StreamStart = { kind: "position", file: oldestBinlog, offset: 4 };
      return { start, skipBeforeSeconds: timestampSeconds(startFrom) };
    }
    case "position":
      return at({ kind: "position", file: startFrom.file, offset: startFrom.position });
    case "gtid":
      return at(gtidStart(startFrom.gtidSet, server, null));
    case "after-initial-sync":
      // Without an initial sync there is nothing to wait for: start at the current end.
      return at({ kind: "latest" });
  }
}

/**
 * The tracker's starting safe point: the checkpoint's, or none for a new pipeline. A checkpoint
 * of an older version that kept no selection is taken to have selected what the spec selects.
 */
export function initialSafePoint(checkpoint: Checkpoint | null, pipeline: Pipeline): SafePoint | null {
  if (!checkpoint) return null;
  const selection = checkpoint.selection ?? selectionOf(pipeline.objects);
  return { position: checkpoint.position, eventTimeSeconds: checkpoint.eventTimeSeconds, ...(checkpoint.snapshot ? { snapshot: checkpoint.snapshot } : {}), selection };
}
