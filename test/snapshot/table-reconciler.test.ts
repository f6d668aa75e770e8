// The watermark rule against a simulated table: random writes interleaved with chunk reads and a
// lagging binlog stream; whatever the interleaving, replaying the emitted stream rows and chunk
// rows per key must give the table as it ends.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RowImage } from "../../src/runtime/change-event.js";
import { chooseChunkKey, type Key } from "../../src/runtime/snapshot/chunk-key.js";
import { KeyOrder } from "../../src/runtime/snapshot/key-order.js";
import { ImageRows } from "../../src/runtime/snapshot/chunk-rows.js";
import { TableReconciler, type KeyedChange } from "../../src/runtime/snapshot/table-reconciler.js";
import { column, table } from "../runtime/fixtures.js";

const info = table("d", "t", [column("id", "bigint"), column("v", "bigint")], ["id"]);
const chunkKey = chooseChunkKey(info, {})!;
const at = (offset: number) => ({ file: "bin.000001", offset });

type Op = { kind: "insert" | "update" | "delete"; id: number; to: number; value: number };
interface BinlogEvent { position: number; change: KeyedChange }

class Simulation {
  table = new Map<number, number>();
  binlog: BinlogEvent[] = [];
  streamed = 0;
  out = new Map<number, number | null>();
  reconciler = new TableReconciler(new KeyOrder(chunkKey, null));
  chunk: { lw: number; rows: RowImage[]; hw: number; upper: Key | null } | null = null;
  lower: Key | null = null;
  reading: "idle" | "window" | "selected" | "read" | "done" = "idle";

  constructor(initial: number) {
    for (let id = 1; id <= initial; id++) this.table.set(id * 2, id);
  }

  apply(op: Op): void {
    const ids = [...this.table.keys()];
    const pos = this.binlog.length + 1;
    if (op.kind === "insert") {
      if (this.table.has(op.id)) return;
      this.table.set(op.id, op.value);
      this.binlog.push({ position: pos, change: { before: null, after: [BigInt(op.id)], afterImage: [BigInt(op.id), BigInt(op.value)] } });
      return;
    }
    if (ids.length === 0) return;
    const id = ids[op.id % ids.length] as number;
    if (op.kind === "delete") {
      this.table.delete(id);
      this.binlog.push({ position: pos, change: { before: [BigInt(id)], after: null, afterImage: null } });
      return;
    }
    const to = op.to % 3 === 0 && !this.table.has(op.to) ? op.to : id;
    this.table.delete(id);
    this.table.set(to, op.value);
    this.binlog.push({ position: pos, change: { before: [BigInt(id)], after: [BigInt(to)], afterImage: [BigInt(to), BigInt(op.value)] } });
  }

  /** The snapshot reader's next step: low watermark, SELECT, high watermark. */
  async readStep(chunkSize: number): Promise<void> {
    if (this.reading === "done" || this.reading === "read") return;
    if (this.reading === "idle") {
      this.reconciler.begin();
      this.chunk = { lw: this.binlog.length, rows: [], hw: -1, upper: null };
      this.reconciler.openWindow();
      this.reading = "window";
    } else if (this.reading === "window") {
      const lower = this.lower === null ? Number.NEGATIVE_INFINITY : Number(this.lower[0]);
      const ids = [...this.table.keys()].filter((id) => id > lower).sort((a, b) => a - b).slice(0, chunkSize);
      const chunk = this.chunk!;
      chunk.rows = ids.map((id) => [BigInt(id), BigInt(this.table.get(id)!)]);
      chunk.upper = ids.length < chunkSize ? null : [BigInt(ids[ids.length - 1]!)];
      this.reading = "selected";
    } else if (this.reading === "selected") {
      // Writes may land between the SELECT and the high watermark.
      this.chunk!.hw = this.binlog.length;
      this.reading = "read";
    }
  }

  async maybeFinalize(streamPosition: number): Promise<void> {
    const chunk = this.chunk;
    if (this.reading !== "read" || !chunk || chunk.hw > streamPosition) return;
    const { rows } = await this.reconciler.closeWindow(new ImageRows(chunk.rows, chunk.rows.map((r) => [r[0]!])), chunk.upper);
    for (let i = 0; i < rows.length; i++) {
      const row = rows.image(i);
      this.out.set(Number(row[0]), Number(row[1]));
    }
    this.lower = chunk.upper;
    this.chunk = null;
    this.reading = chunk.upper === null ? "done" : "idle";
  }

  async streamStep(): Promise<void> {
    if (this.streamed >= this.binlog.length) {
      await this.maybeFinalize(this.streamed);
      return;
    }
    const event = this.binlog[this.streamed] as BinlogEvent;
    await this.maybeFinalize(event.position - 1);
    this.streamed++;
    const [decision] = await this.reconciler.admit([event.change], at(event.position));
    const { before, after, afterImage } = event.change;
    if (decision === "drop") return;
    if (decision === "delete-before") {
      this.out.set(Number(before![0]), null);
      return;
    }
    if (before && (!after || before[0] !== after[0])) this.out.set(Number(before[0]), null);
    if (after) this.out.set(Number(after[0]), Number(afterImage![1]));
  }

  latest(): Map<number, number> {
    return new Map([...this.out].filter((e): e is [number, number] => e[1] !== null).sort((a, b) => a[0] - b[0]));
  }
}

const op = fc.record({ kind: fc.constantFrom("insert", "update", "delete") as fc.Arbitrary<Op["kind"]>, id: fc.integer({ min: 0, max: 80 }), to: fc.integer({ min: 0, max: 80 }), value: fc.integer({ min: 0, max: 1000 }) });
const step = fc.oneof(fc.record({ t: fc.constant("write" as const), op }), fc.record({ t: fc.constant("read" as const) }), fc.record({ t: fc.constant("stream" as const) }));

describe("TableReconciler", () => {
  it("ends with Kafka's latest row per key equal to the table, for any interleaving", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 7 }), fc.array(step, { maxLength: 200 }), async (initial, chunkSize, steps) => {
        const sim = new Simulation(initial);
        for (const s of steps) {
          if (s.t === "write") sim.apply(s.op);
          else if (s.t === "read") await sim.readStep(chunkSize);
          else await sim.streamStep();
        }
        // Let the snapshot finish and the stream catch up.
        for (let guard = 0; (sim.reading !== "done" || sim.streamed < sim.binlog.length) && guard < 10_000; guard++) {
          await sim.readStep(chunkSize);
          await sim.streamStep();
        }
        expect(sim.reading).toBe("done");
        expect(sim.latest()).toEqual(new Map([...sim.table].sort((a, b) => a[0] - b[0])));
      }),
      { numRuns: 1000 },
    );
  });

  it("drops changes beyond the finished prefix and sends those within it", async () => {
    const r = new TableReconciler(new KeyOrder(chunkKey, null), [10n]);
    const change = (id: number): KeyedChange => ({ before: null, after: [BigInt(id)], afterImage: [BigInt(id), 0n] });
    expect(await r.admit([change(5), change(10), change(11)], at(100))).toEqual(["send", "send", "drop"]);
    const movedIn: KeyedChange = { before: [20n], after: [3n], afterImage: [3n, 1n] };
    const movedOut: KeyedChange = { before: [3n], after: [20n], afterImage: [20n, 1n] };
    expect(await r.admit([movedIn, movedOut], at(101))).toEqual(["send", "delete-before"]);
  });

  it("sends nothing for a table not started and everything once done", async () => {
    const waiting = new TableReconciler(new KeyOrder(chunkKey, null));
    const change: KeyedChange = { before: [1n], after: null, afterImage: null };
    expect(await waiting.admit([change], at(1))).toEqual(["drop"]);
    const done = new TableReconciler(new KeyOrder(chunkKey, null), null, true);
    expect(await done.admit([change], at(1))).toEqual(["send"]);
  });

  it("passes a key-less table's changes after its low watermark only", async () => {
    const r = new TableReconciler(null);
    r.beginKeyless(at(50));
    expect(await r.admit([{ before: [], after: null, afterImage: null }], at(50))).toEqual(["drop"]);
    expect(await r.admit([{ before: [], after: null, afterImage: null }], at(51))).toEqual(["send"]);
  });
});
