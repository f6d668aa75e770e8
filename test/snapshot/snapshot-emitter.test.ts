import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import type { BinlogResumePosition } from "../../src/runtime/checkpoint/checkpoint.js";
import { decodeCanalJson } from "../../src/messages/canal-json.js";
import { decodeDtsAvro } from "../../src/messages/dts-avro.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { RouteCache } from "../../src/runtime/select/table-route.js";
import type { OutgoingMessage } from "../../src/runtime/sink/batch-sender.js";
import { chooseChunkKey } from "../../src/runtime/snapshot/chunk-key.js";
import { ImageRows } from "../../src/runtime/snapshot/chunk-rows.js";
import { SnapshotEmitter, type SnapshotSink } from "../../src/runtime/snapshot/snapshot-emitter.js";
import { emptyProgress, totals, type ProgressStep } from "../../src/runtime/snapshot/snapshot-progress.js";
import type { SnapshotTable } from "../../src/runtime/snapshot/snapshot-tables.js";
import { column, table } from "../runtime/fixtures.js";

const info = table("shop", "items", [column("id", "bigint"), column("name", "varchar"), column("price", "decimal", { precision: 10, scale: 2 })], ["id"]);

function pipeline(format: Pipeline["format"], filter: Pipeline["objects"][number]["filter"] = null): Pipeline {
  return {
    format,
    source: { timezone: "+00:00" },
    partition: { policy: "primary-key-hash" },
    destination: { topic: "rows", ddlTopic: "ddl" },
    objects: [{ database: { exact: "shop" }, table: null, target: { database: "shop2", table: null, topic: null }, columns: { include: null, exclude: [], rename: {} }, filter, partition: null }],
  } as unknown as Pipeline;
}

class RecordingSink implements SnapshotSink {
  sent: { topic: string; partition: number; message: OutgoingMessage; seq: number }[] = [];
  registered: { position: BinlogResumePosition; count: number; progress: ProgressStep | undefined }[] = [];
  nextSeq(): number {
    return this.registered.length;
  }
  enqueue(topic: string, partition: number, message: OutgoingMessage, seq: number): void {
    this.sent.push({ topic, partition, message, seq });
  }
  register(position: BinlogResumePosition, count: number, _time: number, progress: ProgressStep | undefined): void {
    this.registered.push({ position, count, progress });
  }
}

function emitterFor(p: Pipeline, sink: RecordingSink): SnapshotEmitter {
  return new SnapshotEmitter({
    pipeline: p,
    routes: new RouteCache({ defaultTopic: "rows", policy: p.partition, filterContext: { zone: { offsetAt: () => 0 } } }),
    encoder: createEncoder(p),
    sink,
    partitionCounts: new Map([["rows", 3], ["ddl", 1]]),
    serverVersion: "10.11.6-MariaDB-log",
    now: () => 1_700_000_000_000,
  });
}

const snapshotTable = (p: Pipeline): SnapshotTable => ({ id: "shop.items", info, rule: p.objects[0]!, key: chooseChunkKey(info, {}), estimatedRows: 3 });
const at = { position: { file: "bin.000002", offset: 900, gtidSet: null }, eventTimeSeconds: 5 };

describe("SnapshotEmitter", () => {
  it("sends DTS Avro INIT records with the after image, registered once with the progress", () => {
    const p = pipeline("dts-avro");
    const sink = new RecordingSink();
    const progress: ProgressStep = { kind: "whole", progress: emptyProgress([["shop.items", 3]]) };
    const count = emitterFor(p, sink).emitRows(snapshotTable(p), new ImageRows([[1n, "a", "1.50"], [2n, "b", "2.00"]], []), at, progress);
    expect(count).toBe(2);
    expect(sink.registered).toEqual([{ position: at.position, count: 2, progress }]);
    const records = sink.sent.map((s) => decodeDtsAvro(s.message.value as Buffer).record);
    expect(records.map((r) => r.operation)).toEqual(["INIT", "INIT"]);
    expect(records[0]?.objectName).toEqual({ string: "shop2.items" });
    expect(records[0]?.beforeImages).toBeNull();
    expect(sink.sent.every((s) => s.topic === "rows" && s.seq === 0)).toBe(true);
  });

  it("sends canal INSERT messages and applies the rule's row filter", () => {
    const p = pipeline("canal-json", { expr: { op: ">", column: "id", value: { number: "1" } } } as never);
    const sink = new RecordingSink();
    emitterFor(p, sink).emitRows(snapshotTable(p), new ImageRows([[1n, "a", "1.50"], [2n, "b", "2.00"]], []), at, undefined);
    const messages = sink.sent.map((s) => decodeCanalJson(s.message.value as Buffer));
    expect(messages.map((m) => [m.type, m.data?.[0]?.id])).toEqual([["INSERT", "2"]]);
  });

  it("sends CREATE TABLE as a DDL record on the DDL topic", () => {
    const p = pipeline("dts-avro");
    const sink = new RecordingSink();
    emitterFor(p, sink).emitSchema(snapshotTable(p), "CREATE TABLE `items` (`id` bigint PRIMARY KEY)", at, undefined);
    expect(sink.sent).toHaveLength(1);
    expect(sink.sent[0]?.topic).toBe("ddl");
    const record = decodeDtsAvro(sink.sent[0]?.message.value as Buffer).record;
    expect(record.operation).toBe("DDL");
    expect(record.afterImages).toEqual({ string: "CREATE TABLE `items` (`id` bigint PRIMARY KEY)" });
  });
});

describe("snapshot progress totals", () => {
  it("counts done tables by rows read and open ones by the larger of estimate and rows read", () => {
    const progress = emptyProgress([["a.x", 100], ["a.y", 10]]);
    progress.tables["a.x"]!.rowsDone = 40;
    progress.tables["a.y"]!.rowsDone = 12;
    expect(totals(progress)).toEqual({ rowsDone: 52, rowsTotal: 112 });
    progress.tables["a.x"]!.done = true;
    expect(totals(progress)).toEqual({ rowsDone: 52, rowsTotal: 52 });
  });
});
