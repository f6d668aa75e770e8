// The parts of a RecordEmitter for unit tests: one topic "out" with one partition, canal's `ts`
// fixed, and every message it sends collected in `sent`.
import { CheckpointTracker } from "../../src/runtime/checkpoint/tracker.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import type { ObjectRule, Pipeline } from "../../src/generated/plan.js";
import type { EmitterParts } from "../../src/runtime/record-emitter.js";
import { ObjectSelector } from "../../src/runtime/select/object-selector.js";
import { RouteCache } from "../../src/runtime/select/table-route.js";
import type { BatchSender, OutgoingMessage } from "../../src/runtime/sink/batch-sender.js";
import { convertBinlogValue } from "../../src/runtime/source/column-values.js";
import type { TableCatalog } from "../../src/runtime/source/table-catalog.js";

export function emitterParts(pipeline: Pipeline, rules: ObjectRule[], catalog: TableCatalog, sent: OutgoingMessage[]): EmitterParts {
  return {
    pipeline,
    selector: new ObjectSelector(rules),
    catalog,
    routes: new RouteCache({ defaultTopic: "out", policy: pipeline.partition, filterContext: { zone: { offsetAt: () => 0 } } }),
    encoder: createEncoder(pipeline, { nowMs: () => 0 }),
    sender: { enqueue: (_topic: string, _partition: number, message: OutgoingMessage) => void sent.push(message) } as unknown as BatchSender,
    tracker: new CheckpointTracker(),
    convert: convertBinlogValue,
    partitionCounts: new Map([["out", 1]]),
    serverVersion: "10.11.6-MariaDB-log",
    metrics: null,
  };
}
