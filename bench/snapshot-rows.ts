// Micro-benchmark of the initial sync's per-row CPU without services: synthetic SELECT rows of a
// 10-column table (as mysql2 returns them with rowsAsArray, dateStrings and bigNumberStrings) go
// chunk by chunk through the copier's conversion (images, chunk keys, row bytes), the
// reconciler's window close and the emitter (with an encoder that only counts, so the encoders'
// own cost, measured by bench/encode.ts, does not hide ours). Prints µs/row per stage (median of
// 5 rounds), a digest of every encoded message (real encoders, both formats) so a speed change
// can be checked to leave the output alone, and one of every image, key and byte count, which
// also changes when only the in-memory form of a value does.
// Run: npx tsx bench/snapshot-rows.ts [rows=200000]
import { createHash, type Hash } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Pipeline } from "../src/generated/plan.js";
import type { TableInfo } from "../src/runtime/change-event.js";
import { createEncoder, type Encoder } from "../src/runtime/encode/index.js";
import { RouteCache } from "../src/runtime/select/table-route.js";
import type { OutgoingMessage } from "../src/runtime/sink/batch-sender.js";
import { chooseChunkKey, encodeKey, type ChunkKey } from "../src/runtime/snapshot/chunk-key.js";
import { KeyOrder } from "../src/runtime/snapshot/key-order.js";
import { SnapshotEmitter, type SnapshotSink } from "../src/runtime/snapshot/snapshot-emitter.js";
import type { SnapshotTable } from "../src/runtime/snapshot/snapshot-tables.js";
import { ImageReader, SelectedRows, selectedBytes } from "../src/runtime/snapshot/chunk-rows.js";
import { TableReconciler } from "../src/runtime/snapshot/table-reconciler.js";
import { NOTE_TEXT, syntheticTable } from "./lib/synthetic-table.js";

const rows = Number(process.argv[2] ?? 200_000);
const chunkSize = 1_000;
const distinctChunks = 20;

const info: TableInfo = syntheticTable;
const note = NOTE_TEXT;
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** One row as mysql2 returns it: BIGINT and DECIMAL as text, INT and TINYINT as numbers. */
function selectRow(i: number): unknown[] {
  return [
    String(1_000_000 + i), i % 50, String(70_000 + (i % 9_000)), `${(i % 100_000) + 1}.${pad(i % 100)}`,
    i % 3 === 0 ? "PAID" : "NEW", `customer${i}@example.com`,
    `2024-05-${pad((i % 28) + 1)} ${pad(i % 24)}:${pad(i % 60)}:${pad((i * 7) % 60)}.${pad(i % 1_000_000, 6)}`,
    i % 97 === 0 ? null : `2024-${pad((i % 12) + 1)}-${pad((i % 28) + 1)} ${pad((i * 5) % 24)}:${pad((i * 3) % 60)}:${pad(i % 60)}`,
    i % 2, `${note.slice(0, 190)} #${i}`,
  ];
}

const chunks = Array.from({ length: distinctChunks }, (_, c) => Array.from({ length: chunkSize }, (_, r) => selectRow(c * chunkSize + r)));

function pipeline(format: Pipeline["format"]): Pipeline {
  return {
    format,
    source: { timezone: "+08:00" },
    partition: { policy: "primary-key-hash" },
    destination: { topic: "rows", ddlTopic: "ddl" },
    objects: [{ database: { exact: "shop" }, table: null, target: { database: null, table: null, topic: null }, columns: { include: null, exclude: [], rename: {} }, filter: null, partition: null }],
  } as unknown as Pipeline;
}

class CountingSink implements SnapshotSink {
  constructor(readonly digest: Hash | null) {}
  nextSeq(): number {
    return 0;
  }
  enqueue(_topic: string, partition: number, message: OutgoingMessage): void {
    this.digest?.update(`${partition}:`).update(message.key ?? "").update(message.value);
  }
  register(): void {}
}

const emptyMessage = { key: null, value: Buffer.alloc(0) } as unknown as OutgoingMessage;
const counting: Encoder = {
  encodeRows: (changes: readonly unknown[]) => changes.map(() => emptyMessage),
  encodeDdl: () => [],
} as unknown as Encoder;

function emitterFor(p: Pipeline, encoder: Encoder, sink: SnapshotSink): SnapshotEmitter {
  return new SnapshotEmitter({
    pipeline: p,
    routes: new RouteCache({ defaultTopic: "rows", policy: p.partition, filterContext: { zone: { offsetAt: () => 28_800 } } }),
    encoder, sink,
    partitionCounts: new Map([["rows", 4], ["ddl", 1]]),
    serverVersion: "10.11.6-MariaDB-log",
    now: () => 1_714_557_800_123,
  });
}

const p = pipeline("dts-avro");
const key = chooseChunkKey(info, {}) as ChunkKey;
const table: SnapshotTable = { id: "shop.orders", info, rule: p.objects[0]!, key, estimatedRows: rows };
const at = { position: { file: "bin.000002", offset: 900, gtidSet: null }, eventTimeSeconds: 5 };

type Times = { convert: number; reconcile: number; emit: number };

async function run(count: number, emitter: SnapshotEmitter, digest: Hash | null): Promise<Times> {
  const times: Times = { convert: 0, reconcile: 0, emit: 0 };
  const reconciler = new TableReconciler(new KeyOrder(key, null));
  const reader = new ImageReader(info, key);
  reconciler.begin();
  for (let done = 0, c = 0; done < count; done += chunkSize, c++) {
    const raw = chunks[c % distinctChunks] as unknown[][];
    let t = performance.now();
    reconciler.openWindow();
    // Rows are converted as they are sent (emitRows); reading takes only the last row's key.
    const selected = new SelectedRows(raw, reader);
    const upper = selected.length > 0 ? selected.key(selected.length - 1) : null;
    times.convert += performance.now() - t;
    if (digest) {
      digest.update(`bytes ${selectedBytes(raw)}`);
      for (let i = 0; i < selected.length; i++) digest.update(encodeKey(selected.image(i)).join("|"));
      for (let i = 0; i < selected.length; i++) digest.update(encodeKey(selected.key(i)).join("|"));
    }
    t = performance.now();
    const closed = await reconciler.closeWindow(selected, upper);
    times.reconcile += performance.now() - t;
    t = performance.now();
    emitter.emitRows(table, closed.rows, at, undefined);
    times.emit += performance.now() - t;
  }
  return times;
}

const messages = createHash("sha256");
const images = createHash("sha256");
for (const format of ["dts-avro", "canal-json"] as const) {
  const real = pipeline(format);
  const encoder = createEncoder(real, { nowMs: () => 1_714_557_800_123, gtidSet: () => "0-1-42" });
  await run(distinctChunks * chunkSize, emitterFor(real, encoder, new CountingSink(messages)), images);
}
const emitter = emitterFor(p, counting, new CountingSink(null));
await run(Math.min(rows, 50_000), emitter, null); // warm-up
// The machine is shared: report the median of a few rounds.
const rounds: Times[] = [];
for (let i = 0; i < 5; i++) rounds.push(await run(rows, emitter, null));
const median = (pick: (t: Times) => number) => (rounds.map(pick).sort((a, b) => a - b)[2] as number) * 1000 / rows;
const line = (name: string, us: number) => `${name.padEnd(22)} ${us.toFixed(3).padStart(7)} µs/row`;
console.log(`node ${process.version}, ${rows} rows in chunks of ${chunkSize}, median of 5`);
console.log(line("read (last row key)", median((t) => t.convert)));
console.log(line("closeWindow (empty)", median((t) => t.reconcile)));
console.log(line("emitRows (converts)", median((t) => t.emit)));
console.log(line("total", median((t) => t.convert + t.reconcile + t.emit)));
console.log(`messages digest ${messages.digest("hex").slice(0, 16)}`);
console.log(`images digest ${images.digest("hex").slice(0, 16)}`);
