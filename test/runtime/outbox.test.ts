// The outbox both emitters share: the row filter's update semantics before projection, and the
// two ways rows reach the encoder (the stream encodes each run of rows on one partition, a
// snapshot chunk each partition's rows at once), with order per partition kept in both.
import { describe, expect, it } from "vitest";
import type { ObjectRule, Pipeline } from "../../src/generated/plan.js";
import type { RowChange, RowImage } from "../../src/runtime/change-event.js";
import type { Encoder } from "../../src/runtime/encode/index.js";
import { Outbox } from "../../src/runtime/outbox.js";
import { RouteCache } from "../../src/runtime/select/table-route.js";
import type { OutgoingMessage } from "../../src/runtime/sink/batch-sender.js";
import { column, table } from "./fixtures.js";

const info = table("shop", "items", [column("id", "bigint"), column("name", "varchar")], ["id"]);
const pipeline = { partition: { policy: "primary-key-hash" }, destination: { topic: "rows", ddlTopic: "ddl" } } as unknown as Pipeline;
const context = { eventTimeSeconds: 7, position: { file: "b", offset: 4, gtid: null }, transactionId: "9", serverVersion: "v" };

function rule(filter: ObjectRule["filter"] = null): ObjectRule {
  return { origin: null, database: { exact: "shop" }, table: null, target: { database: null, table: null, topic: null }, columns: { include: null, exclude: [], rename: { name: "label" } }, filter, partition: null } as unknown as ObjectRule;
}

/** Records each encode call (one message per call) with where it was queued. */
function outboxFor(partitions: number) {
  const calls: { partition: number; rows: RowChange[]; seq: number }[] = [];
  let pending: RowChange[] = [];
  const encoder = { encodeRows: (rows: RowChange[]) => ((pending = rows), [{ value: null } as unknown as OutgoingMessage]), encodeDdl: () => [] } as unknown as Encoder;
  const outbox = new Outbox({
    pipeline,
    routes: new RouteCache({ defaultTopic: "rows", policy: pipeline.partition, filterContext: { zone: { offsetAt: () => 0 } } }),
    encoder,
    queue: { enqueue: (_topic, partition, _message, seq) => void calls.push({ partition, rows: pending, seq }) },
    partitionCounts: new Map([["rows", partitions]]),
  });
  return { outbox, calls };
}

describe("outbox", () => {
  const images: RowImage[] = Array.from({ length: 12 }, (_, i) => [BigInt(i * 7919), `n${i}`]);

  it("encodes runs of consecutive rows on one partition for the stream, each partition once for a snapshot", () => {
    const runs = outboxFor(3);
    const stream = runs.outbox.rows(runs.outbox.routeFor(info, rule()), context, 5, { snapshot: false, groupByPartition: false });
    for (const image of images) stream.add("insert", null, image);
    const grouped = outboxFor(3);
    const snapshot = grouped.outbox.rows(grouped.outbox.routeFor(info, rule()), context, 6, { snapshot: true, groupByPartition: true });
    for (const image of images) snapshot.add("insert", null, image);
    expect(stream.finish()).toBe(runs.calls.length);
    expect(snapshot.finish()).toBe(grouped.calls.length);

    const partitionOf = new Map(runs.calls.flatMap((c) => c.rows.map((r) => [r.after?.[0], c.partition] as const)));
    const runCount = images.filter((image, i) => i === 0 || partitionOf.get(image[0]) !== partitionOf.get(images[i - 1]?.[0])).length;
    expect(runs.calls.map((c) => c.rows.length).reduce((a, b) => a + b)).toBe(images.length);
    expect(runs.calls).toHaveLength(runCount);
    expect(grouped.calls).toHaveLength(new Set(partitionOf.values()).size);
    expect(runs.calls.length).toBeGreaterThan(grouped.calls.length);
    for (const partition of new Set(partitionOf.values())) {
      const inOrder = images.filter((image) => partitionOf.get(image[0]) === partition).map((image) => image[0]);
      expect(runs.calls.filter((c) => c.partition === partition).flatMap((c) => c.rows.map((r) => r.after?.[0]))).toEqual(inOrder);
      expect(grouped.calls.filter((c) => c.partition === partition).flatMap((c) => c.rows.map((r) => r.after?.[0]))).toEqual(inOrder);
    }
    expect(runs.calls.every((c) => c.seq === 5 && c.rows.every((r) => !r.snapshot))).toBe(true);
    expect(grouped.calls.every((c) => c.seq === 6 && c.rows.every((r) => r.snapshot))).toBe(true);
  });

  it("turns an update that leaves the filter into a delete of the old row, projected and renamed", () => {
    const { outbox, calls } = outboxFor(1);
    const filtered = rule({ expr: { op: ">", column: "id", value: { number: "5" } } } as never);
    const batch = outbox.rows(outbox.routeFor(info, filtered), context, 1, { snapshot: false, groupByPartition: false });
    batch.add("update", [9n, "a"], [2n, "b"]);
    batch.add("insert", null, [1n, "c"]);
    expect(batch.finish()).toBe(1);
    const [change] = calls[0]?.rows ?? [];
    expect(change).toMatchObject({ operation: "delete", before: [9n, "a"], after: null, transactionId: "9" });
    expect(change?.table.columns.map((c) => c.name)).toEqual(["id", "label"]);
  });

  it("sends an update that gives the row another key as a delete of the old key and an insert of the new one", () => {
    const { outbox, calls } = outboxFor(8);
    const batch = outbox.rows(outbox.routeFor(info, rule()), context, 3, { snapshot: false, groupByPartition: false });
    batch.add("update", [1n, "a"], [10n, "a"]);
    batch.add("update", [2n, "a"], [2n, "b"]);
    batch.finish();
    const changes = calls.flatMap((c) => c.rows.map((r) => ({ partition: c.partition, operation: r.operation, before: r.before?.[0], after: r.after?.[0] })));
    expect(changes.map(({ partition: _, ...change }) => change)).toEqual([
      { operation: "delete", before: 1n, after: undefined },
      { operation: "insert", before: undefined, after: 10n },
      { operation: "update", before: 2n, after: 2n },
    ]);
    const insertOf = (id: bigint) => {
      const probe = outboxFor(8);
      const one = probe.outbox.rows(probe.outbox.routeFor(info, rule()), context, 3, { snapshot: false, groupByPartition: false });
      one.add("insert", null, [id, "a"]);
      one.finish();
      return probe.calls[0]?.partition;
    };
    // Each key's messages stay on the partition its insert went to.
    expect(changes[0]?.partition).toBe(insertOf(1n));
    expect(changes[1]?.partition).toBe(insertOf(10n));
  });

  it("counts a key column's text as the key: a change of case alone moves the row", () => {
    const named = table("shop", "tags", [column("tag", "varchar"), column("n", "int")], ["tag"]);
    const { outbox, calls } = outboxFor(1);
    const batch = outbox.rows(outbox.routeFor(named, rule()), context, 3, { snapshot: false, groupByPartition: false });
    batch.add("update", ["abc", 1], ["ABC", 1]);
    batch.add("update", [Buffer.from("x"), 1], [Buffer.from("x"), 2]);
    batch.finish();
    expect(calls.flatMap((c) => c.rows.map((r) => r.operation))).toEqual(["delete", "insert", "update"]);
  });
});
