// The session's record emitter for binlog units: the selected tables' catalog, routes and
// encoder, sending through the session's sender under its checkpoint tracker.
import type { CheckpointTracker } from "../checkpoint/tracker.js";
import { RecordEmitter } from "../record-emitter.js";
import type { ObjectSelector } from "../select/object-selector.js";
import { RouteCache } from "../select/table-route.js";
import type { BatchSender } from "../sink/batch-sender.js";
import type { BinlogReader } from "../source/binlog-reader.js";
import { TableCatalog } from "../source/table-catalog.js";
import type { SessionDeps } from "./session-deps.js";
import type { SourceSetup } from "./session-resources.js";

export interface EmitterStream {
  source: SourceSetup;
  reader: BinlogReader;
  sender: BatchSender;
  tracker: CheckpointTracker;
}

export function binlogEmitter(deps: SessionDeps, stream: EmitterStream, selector: ObjectSelector, partitionCounts: Record<string, number>): RecordEmitter {
  const { pipeline } = deps;
  return new RecordEmitter({
    pipeline,
    selector,
    catalog: new TableCatalog(deps.loadTable(stream.source.control), { server: deps.connections.source.address, log: deps.log }),
    routes: RouteCache.forPipeline(pipeline, stream.source.sourceZone),
    encoder: stream.source.encoder,
    sender: stream.sender,
    tracker: stream.tracker,
    convert: deps.convertImage ?? deps.convert,
    partitionCounts: new Map(Object.entries(partitionCounts)),
    serverVersion: stream.reader.serverVersion,
    dialect: stream.source.facts.dialect,
    metrics: deps.metrics,
    log: deps.log,
  });
}
