// Micro-benchmark of the initial sync's rows from the server's packets to messages, without
// services: the same row packets of the 10-column table read the way mysql2 parses them (values,
// then images) and kept as bytes (snapshot/text-result.ts), each through the emitter and the real
// encoder of both formats. Prints µs/row (median of 5 rounds) per path and format, and checks
// that both paths write the same messages byte for byte.
// Run: npx tsx bench/snapshot-text.ts [rows=200000]
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Pipeline } from "../src/generated/plan.js";
import { createEncoder } from "../src/runtime/encode/index.js";
import { SlabWriter } from "../src/runtime/encode/slab-writer.js";
import { RouteCache } from "../src/runtime/select/table-route.js";
import type { OutgoingMessage } from "../src/runtime/sink/batch-sender.js";
import { chooseChunkKey, type ChunkKey } from "../src/runtime/snapshot/chunk-key.js";
import { ImageReader, resultRows, SelectedRows, type ChunkRows } from "../src/runtime/snapshot/chunk-rows.js";
import { SnapshotEmitter, type SnapshotSink } from "../src/runtime/snapshot/snapshot-emitter.js";
import type { SnapshotTable } from "../src/runtime/snapshot/snapshot-tables.js";
import { TextResult, type ResultField } from "../src/runtime/snapshot/text-result.js";
import { rowPackets } from "./lib/row-packets.js";
import { NOTE_TEXT, syntheticTable as info } from "./lib/synthetic-table.js";

const rows = Number(process.argv[2] ?? 200_000);
const chunkSize = 1_000;

// mysql2's own row parser and packet class, for the path that parses values (bench only: the
// runtime reaches the parser through a query, text-result.ts).
const mysql2 = dirname(createRequire(import.meta.url).resolve("mysql2"));
const require = createRequire(import.meta.url);
const Packet = require(join(mysql2, "lib/packets/packet.js"));
const getTextParser = require(join(mysql2, "lib/parsers/text_parser.js"));
const Types = require(join(mysql2, "lib/constants/types.js"));

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
/** One row's values as the server's text, as in bench/snapshot-rows.ts. */
function textRow(i: number): (string | null)[] {
  return [
    String(1_000_000 + i), String(i % 50), String(70_000 + (i % 9_000)), `${(i % 100_000) + 1}.${pad(i % 100)}`,
    i % 3 === 0 ? "PAID" : "NEW", `customer${i}@example.com`,
    `2024-05-${pad((i % 28) + 1)} ${pad(i % 24)}:${pad(i % 60)}:${pad((i * 7) % 60)}.${pad(i % 1_000_000, 6)}`,
    i % 97 === 0 ? null : `2024-${pad((i % 12) + 1)}-${pad((i % 28) + 1)} ${pad((i * 5) % 24)}:${pad((i * 3) % 60)}:${pad(i % 60)}`,
    String(i % 2), `${NOTE_TEXT.slice(0, 190)} #${i}`,
  ];
}

/** Row packets of a chunk in one buffer, as one socket read hands them over. */
function chunkPackets(first: number): { start: number; end: number; buffer: Buffer }[] {
  const values = Array.from({ length: chunkSize }, (_, i) => textRow(first + i).map((v) => (v === null ? null : Buffer.from(v))));
  const { buffer, bounds } = rowPackets(values);
  return bounds.map(([start, end]) => ({ start, end, buffer }));
}

const utf8mb4 = 224;
const binary = 63;
const fieldTypes: [number, number, string][] = [
  [Types.LONGLONG, binary, "binary"], [Types.LONG, binary, "binary"], [Types.LONGLONG, binary, "binary"], [Types.NEWDECIMAL, binary, "binary"],
  [Types.VAR_STRING, utf8mb4, "utf8"], [Types.VAR_STRING, utf8mb4, "utf8"], [Types.DATETIME, binary, "binary"], [Types.TIMESTAMP, binary, "binary"],
  [Types.TINY, binary, "binary"], [Types.BLOB, utf8mb4, "utf8"],
];
const fields = fieldTypes.map(([columnType, characterSet, encoding], i) => ({ name: info.columns[i]?.name ?? "", columnType, characterSet, encoding, flags: 0 }));
const options = { rowsAsArray: true };
const config = { dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, jsonStrings: true };
const parser = new (getTextParser(fields, options, config))(fields);

const distinct = 20;
const chunks = Array.from({ length: distinct }, (_, c) => chunkPackets(c * chunkSize));

function pipeline(format: Pipeline["format"]): Pipeline {
  return {
    format, source: { timezone: "+08:00" }, partition: { policy: "primary-key-hash" }, destination: { topic: "rows", ddlTopic: "ddl" },
    objects: [{ database: { exact: "shop" }, table: null, target: { database: null, table: null, topic: null }, columns: { include: null, exclude: [], rename: {} }, filter: null, partition: null }],
  } as unknown as Pipeline;
}

/** Hashes every message when asked to (the digest run), else only takes them. */
class Sink implements SnapshotSink {
  constructor(readonly hashing: boolean) {}
  digest = createHash("sha256");
  nextSeq(): number {
    return 0;
  }
  enqueue(_topic: string, partition: number, message: OutgoingMessage): void {
    if (this.hashing) this.digest.update(`${partition}:`).update(message.key ?? "").update(message.value);
    // Handed back as the batch sender does once a request holds them, so slabs are reused.
    SlabWriter.release(message.key);
    SlabWriter.release(message.value);
  }
  register(): void {}
}

const key = chooseChunkKey(info, {}) as ChunkKey;
const reader = new ImageReader(info, key);

/** The chunk's rows parsed by mysql2 into values, as the copier read them before. */
function parsedRows(chunk: ReturnType<typeof chunkPackets>): ChunkRows {
  return new SelectedRows(chunk.map((p) => parser.next(new Packet(0, p.buffer, p.start, p.end), fields, options) as unknown[]), reader);
}

/** The chunk's rows kept as bytes. */
function textRows(chunk: ReturnType<typeof chunkPackets>): { rows: ChunkRows; release: () => void } {
  const result = new TextResult();
  for (const p of chunk) result.record(new Packet(0, p.buffer, p.start, p.end), parser, fields as ResultField[], options);
  return { rows: resultRows(result, info, reader), release: () => result.release() };
}

function run(format: Pipeline["format"], path: "values" | "bytes", count: number, hashing = false): { ms: number; digest: string } {
  const p = pipeline(format);
  const sink = new Sink(hashing);
  const emitter = new SnapshotEmitter({
    pipeline: p, routes: new RouteCache({ defaultTopic: "rows", policy: p.partition, filterContext: { zone: { offsetAt: () => 28_800 } } }),
    encoder: createEncoder(p, { nowMs: () => 1_714_557_800_123, gtidSet: () => "0-1-42" }), sink,
    partitionCounts: new Map([["rows", 4], ["ddl", 1]]), serverVersion: "10.11.6-MariaDB-log", now: () => 1_714_557_800_123,
  });
  const table: SnapshotTable = { id: "shop.orders", info, rule: p.objects[0]!, key, estimatedRows: count };
  const at = { position: { file: "bin.000002", offset: 900, gtidSet: null }, eventTimeSeconds: 5 };
  const started = performance.now();
  for (let done = 0, c = 0; done < count; done += chunkSize, c++) {
    const chunk = chunks[c % distinct] as ReturnType<typeof chunkPackets>;
    if (path === "values") emitter.emitRows(table, parsedRows(chunk), at, undefined);
    else {
      const text = textRows(chunk);
      emitter.emitRows(table, text.rows, at, undefined);
      text.release();
    }
  }
  return { ms: performance.now() - started, digest: sink.digest.digest("hex").slice(0, 16) };
}

console.log(`node ${process.version}, ${rows} rows in chunks of ${chunkSize}, median of 5`);
for (const format of ["dts-avro", "canal-json"] as const) {
  const digests = new Set<string>();
  for (const path of ["values", "bytes"] as const) {
    digests.add(run(format, path, distinct * chunkSize, true).digest);
    run(format, path, Math.min(rows, 50_000));
    const times = Array.from({ length: 5 }, () => run(format, path, rows).ms).sort((a, b) => a - b);
    console.log(`${format.padEnd(11)} ${path.padEnd(7)} ${(((times[2] as number) * 1000) / rows).toFixed(3).padStart(7)} µs/row`);
  }
  console.log(`${format.padEnd(11)} messages ${digests.size === 1 ? "identical" : "DIFFER"} (${[...digests].join(" ")})`);
}
