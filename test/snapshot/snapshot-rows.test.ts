// The snapshot's per-row shortcuts against the plain way they replace: chunk rows converted on
// demand with the table's converter list (keys from the key columns alone, integers in images
// as numbers while exact), a window with nothing to apply, and rows grouped by partition
// without a Map.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import type { RowChange, RowImage } from "../../src/runtime/change-event.js";
import type { Encoder } from "../../src/runtime/encode/index.js";
import { RouteCache } from "../../src/runtime/select/table-route.js";
import type { OutgoingMessage } from "../../src/runtime/sink/batch-sender.js";
import { chooseChunkKey, keyOf, type ChunkKey } from "../../src/runtime/snapshot/chunk-key.js";
import { KeyOrder } from "../../src/runtime/snapshot/key-order.js";
import { SnapshotEmitter, type SnapshotSink } from "../../src/runtime/snapshot/snapshot-emitter.js";
import { ImageReader, ImageRows, SelectedRows, selectedBytes } from "../../src/runtime/snapshot/chunk-rows.js";
import { TableReconciler } from "../../src/runtime/snapshot/table-reconciler.js";
import { valueBytes } from "../../src/runtime/snapshot/throttle.js";
import { convertSelectValue } from "../../src/runtime/source/column-values.js";
import { column, table } from "../runtime/fixtures.js";

const info = table(
  "shop",
  "mixed",
  [
    column("id", "bigint", { nullable: false }),
    column("code", "varchar", { nullable: false }),
    column("amount", "decimal", { precision: 10, scale: 2 }),
    column("at", "timestamp", { fsp: 3 }),
    column("made", "datetime", { fsp: 0 }),
    column("bytes", "varbinary", { charset: "binary" }),
    column("qty", "int"),
  ],
  ["id", "code"],
);
const chunkKey = chooseChunkKey(info, { code: "utf8mb4_general_ci" }) as ChunkKey;

const selectRow = fc.tuple(
  fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.integer()),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(null, "0.00", "-12.50", "99999999.99"),
  fc.constantFrom(null, undefined, "2038-01-19 03:14:07.123", "0000-00-00 00:00:00.000", "1970-01-01 00:00:00", "2024-02-29T23:59:59.9"),
  fc.constantFrom(null, "2024-05-01 10:00:00", "0000-00-00 00:00:00"),
  fc.oneof(fc.constant(null), fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b))),
  fc.oneof(fc.constant(null), fc.integer()),
);

describe("SelectedRows", () => {
  it("gives the images and keys of converting value by value, and the bytes of the raw values", () => {
    fc.assert(
      fc.property(fc.array(selectRow, { maxLength: 20 }), (rows) => {
        const raw = rows as unknown[][];
        const images = raw.map((r) => info.columns.map((c, i) => convertSelectValue(r[i], c)));
        const selected = new SelectedRows(raw, new ImageReader(info, chunkKey));
        expect(selected.length).toBe(raw.length);
        // Integers in images stay numbers while exact; as bigints they are the converter's values.
        const asBigInts = (image: RowImage) => image.map((v, i) => (typeof v === "number" && ["id", "qty"].includes(info.columns[i]!.name) ? BigInt(v) : v));
        expect(images.map((_, i) => asBigInts(selected.image(i)))).toEqual(images);
        for (let i = 0; i < raw.length; i++) {
          const id = selected.image(i)[0];
          expect(typeof id === "number" ? Number.isSafeInteger(id) : id === null || (typeof id === "bigint" && !Number.isSafeInteger(Number(id)))).toBe(true);
        }
        expect(images.map((_, i) => selected.key(i))).toEqual(images.map((image) => keyOf(image, chunkKey)));
        expect(selectedBytes(raw)).toBe(raw.flat().reduce((sum: number, value) => sum + valueBytes(value), 0));
      }),
      { numRuns: 200 },
    );
  });

  it("fails on a value a converter rejects when the row is read, naming the column", () => {
    const selected = new SelectedRows([["1", "a", null, "not a time", null, null, null]], new ImageReader(info, chunkKey));
    expect(() => selected.image(0)).toThrow(/column at: "not a time" is not a TIMESTAMP value/);
  });
});

describe("closeWindow with nothing to apply", () => {
  const idInfo = table("d", "t", [column("id", "bigint"), column("v", "bigint")], ["id"]);
  const key = chooseChunkKey(idInfo, {}) as ChunkKey;
  const rows: RowImage[] = [[1n, 10n], [2n, 20n], [3n, 30n]];
  const keys = rows.map((r) => [r[0] ?? null]);

  it("returns the chunk as read when the window's changes all lie beyond it", async () => {
    const reconciler = new TableReconciler(new KeyOrder(key, null));
    reconciler.begin();
    reconciler.openWindow();
    await reconciler.admit([{ before: null, after: [9n], afterImage: [9n, 90n] }], { file: "bin.000001", offset: 4 });
    const chunk = new ImageRows(rows, keys);
    const closed = await reconciler.closeWindow(chunk, [3n]);
    expect(closed).toEqual({ rows: chunk, applied: 0 });
    expect(reconciler.finishedUpTo).toEqual([3n]);
    expect(reconciler.windowOpen).toBe(false);
  });

  it("finishes the table on its last chunk", async () => {
    const reconciler = new TableReconciler(new KeyOrder(key, null), [0n]);
    reconciler.openWindow();
    const chunk = new ImageRows(rows, keys);
    expect(await reconciler.closeWindow(chunk, null)).toEqual({ rows: chunk, applied: 0 });
    expect(reconciler.state).toBe("done");
  });
});

describe("SnapshotEmitter.emitRows partition grouping", () => {
  const idInfo = table("shop", "items", [column("id", "bigint"), column("name", "varchar")], ["id"]);
  const p = {
    format: "canal-json",
    source: { timezone: "+00:00" },
    partition: { policy: "primary-key-hash" },
    destination: { topic: "rows", ddlTopic: "ddl" },
    objects: [{ database: { exact: "shop" }, table: null, target: { database: null, table: null, topic: null }, columns: { include: null, exclude: [], rename: {} }, filter: null, partition: null }],
  } as unknown as Pipeline;
  const routes = new RouteCache({ defaultTopic: "rows", policy: p.partition, filterContext: { zone: { offsetAt: () => 0 } } });
  const rule = p.objects[0]!;
  const images: RowImage[] = Array.from({ length: 40 }, (_, i) => [BigInt(i * 7919), `n${i}`]);

  /** Hands each row back as its own message, so the test sees where each row went. */
  const echo = { encodeRows: (rows: RowChange[]) => rows.map((row) => ({ value: row }) as unknown as OutgoingMessage), encodeDdl: () => [] } as unknown as Encoder;

  function emit(partitions: number, rows: RowImage[] = images): { partition: number; change: RowChange }[] {
    const sent: { partition: number; change: RowChange }[] = [];
    const sink: SnapshotSink = {
      nextSeq: () => 0,
      enqueue: (_topic, partition, message) => sent.push({ partition, change: (message as unknown as { value: RowChange }).value }),
      register: () => {},
    };
    const emitter = new SnapshotEmitter({ pipeline: p, routes, encoder: echo, sink, partitionCounts: new Map([["rows", partitions]]), serverVersion: "v", now: () => 7_000 });
    emitter.emitRows({ id: "shop.items", info: idInfo, rule, key: null, estimatedRows: 0 }, new ImageRows(rows, []), { position: { file: "b", offset: 1, gtidSet: null }, eventTimeSeconds: 1 }, undefined);
    return sent;
  }

  it("sends each row to its partition, partitions in the order first seen, rows in order within one", () => {
    const partitioner = routes.routeFor(idInfo, rule).partitioner;
    const expected = new Map<number, RowImage[]>();
    for (const image of images) {
      const partition = partitioner(image, 3);
      expected.set(partition, [...(expected.get(partition) ?? []), image]);
    }
    const sent = emit(3);
    expect(expected.size).toBe(3);
    expect(sent.map((s) => [s.partition, s.change.after])).toEqual([...expected].flatMap(([partition, rows]) => rows.map((row) => [partition, row])));
  });

  it("keeps every partition's rows in order when a chunk is sent in several slices", () => {
    const partitioner = routes.routeFor(idInfo, rule).partitioner;
    const many: RowImage[] = Array.from({ length: 1_234 }, (_, i) => [BigInt(i), `n${i}`]);
    const sent = emit(3, many);
    expect(sent).toHaveLength(many.length);
    for (const partition of [0, 1, 2]) {
      expect(sent.filter((s) => s.partition === partition).map((s) => s.change.after)).toEqual(many.filter((image) => partitioner(image, 3) === partition));
    }
  });

  it("builds insert rows with the snapshot flag and one shared context", () => {
    const sent = emit(1);
    expect(sent.map((s) => s.partition)).toEqual(images.map(() => 0));
    const first = sent[0]!.change;
    expect(Object.keys(first)).toEqual(["kind", "operation", "snapshot", "table", "before", "after", "eventTimeSeconds", "position", "transactionId", "serverVersion", "text"]);
    expect(first).toMatchObject({ kind: "row", operation: "insert", snapshot: true, before: null, eventTimeSeconds: 7, position: { file: "", offset: 0, gtid: null }, transactionId: "", serverVersion: "v", text: null });
  });
});
