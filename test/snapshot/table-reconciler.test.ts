// The watermark rule against a simulated table: random writes interleaved with chunk reads (one
// at a time, or the next read while the last is reconciled), a lagging binlog stream, and
// commits that become visible to SELECTs after their binlog events; whatever the interleaving,
// replaying the emitted stream rows and chunk rows per key must give the table as it ends.
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
/** `opened`: how many chunk windows had opened when the change was written. */
interface BinlogEvent { position: number; change: KeyedChange; opened: number }

interface SimChunk { rows: RowImage[]; hw: number; upper: Key | null; state: "window" | "selected" | "read" }

class Simulation {
  table = new Map<number, number>();
  binlog: BinlogEvent[] = [];
  /**
   * What a SELECT sees: the binlog up to `visibleUpTo`. A change may reach the binlog (and the
   * stream) before its commit is visible to readers, as with InnoDB's two-phase commit; here it
   * becomes visible at the latest at the second opening after it (the table's start counts).
   */
  visible = new Map<number, number>();
  visibleUpTo = 0;
  opened = 0;
  streamed = 0;
  out = new Map<number, number | null>();
  reconciler = new TableReconciler(new KeyOrder(chunkKey, null));
  /** Chunks read and not yet finalized, oldest first: like the copier, at most two. */
  chunks: SimChunk[] = [];
  lower: Key | null = null;
  allRead = false;
  begun = false;
  reading: "idle" | "done" = "idle";

  constructor(initial: number, readonly inFlight: number) {
    for (let id = 1; id <= initial; id++) this.table.set(id * 2, id);
    this.visible = new Map(this.table);
  }

  /** Makes the next `count` binlogged changes visible to SELECTs. */
  commit(count: number): void {
    for (; count > 0 && this.visibleUpTo < this.binlog.length; count--) {
      const { before, after, afterImage } = (this.binlog[this.visibleUpTo++] as BinlogEvent).change;
      if (before) this.visible.delete(Number(before[0]));
      if (after) this.visible.set(Number(after[0]), Number(afterImage![1]));
    }
  }

  apply(op: Op): void {
    const ids = [...this.table.keys()];
    const pos = this.binlog.length + 1;
    if (op.kind === "insert") {
      if (this.table.has(op.id)) return;
      this.table.set(op.id, op.value);
      this.binlog.push({ position: pos, opened: this.opened, change: { before: null, after: [BigInt(op.id)], afterImage: [BigInt(op.id), BigInt(op.value)] } });
      return;
    }
    if (ids.length === 0) return;
    const id = ids[op.id % ids.length] as number;
    if (op.kind === "delete") {
      this.table.delete(id);
      this.binlog.push({ position: pos, opened: this.opened, change: { before: [BigInt(id)], after: null, afterImage: null } });
      return;
    }
    const to = op.to % 3 === 0 && !this.table.has(op.to) ? op.to : id;
    this.table.delete(id);
    this.table.set(to, op.value);
    this.binlog.push({ position: pos, opened: this.opened, change: { before: [BigInt(id)], after: [BigInt(to)], afterImage: [BigInt(to), BigInt(op.value)] } });
  }

  /**
   * The snapshot reader's next step: open a chunk's window, SELECT, high watermark. The next
   * chunk opens once the last one has its high watermark, before that one is finalized.
   */
  async readStep(chunkSize: number): Promise<void> {
    const last = this.chunks[this.chunks.length - 1];
    if (last?.state === "window") {
      const lower = this.lower === null ? Number.NEGATIVE_INFINITY : Number(this.lower[0]);
      const ids = [...this.visible.keys()].filter((id) => id > lower).sort((a, b) => a - b).slice(0, chunkSize);
      last.rows = ids.map((id) => [BigInt(id), BigInt(this.visible.get(id)!)]);
      last.upper = ids.length < chunkSize ? null : [BigInt(ids[ids.length - 1]!)];
      last.state = "selected";
    } else if (last?.state === "selected") {
      // Writes may land between the SELECT and the high watermark.
      last.hw = this.binlog.length;
      last.state = "read";
      this.lower = last.upper;
      this.allRead = last.upper === null;
    } else if (!this.begun) {
      this.reconciler.begin();
      this.begun = true;
      this.opening();
    } else if (!this.allRead && this.chunks.length < this.inFlight) {
      this.reconciler.openWindow();
      this.opening();
      this.chunks.push({ rows: [], hw: -1, upper: null, state: "window" });
    }
  }

  async maybeFinalize(streamPosition: number): Promise<void> {
    for (let chunk = this.chunks[0]; chunk?.state === "read" && chunk.hw <= streamPosition; chunk = this.chunks[0]) {
      const { rows } = await this.reconciler.closeWindow(new ImageRows(chunk.rows, chunk.rows.map((r) => [r[0]!])), chunk.upper);
      for (let i = 0; i < rows.length; i++) {
        const row = rows.image(i);
        this.out.set(Number(row[0]), Number(row[1]));
      }
      this.chunks.shift();
      if (chunk.upper === null) this.reading = "done";
    }
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

  /** The table's start or a chunk's window opened: changes written two openings ago are visible by now. */
  opening(): void {
    this.opened++;
    let due = 0;
    while (this.visibleUpTo + due < this.binlog.length && (this.binlog[this.visibleUpTo + due] as BinlogEvent).opened <= this.opened - 2) due++;
    this.commit(due);
  }

  latest(): Map<number, number> {
    return new Map([...this.out].filter((e): e is [number, number] => e[1] !== null).sort((a, b) => a[0] - b[0]));
  }
}

const op = fc.record({ kind: fc.constantFrom("insert", "update", "delete") as fc.Arbitrary<Op["kind"]>, id: fc.integer({ min: 0, max: 80 }), to: fc.integer({ min: 0, max: 80 }), value: fc.integer({ min: 0, max: 1000 }) });
const step = fc.oneof(fc.record({ t: fc.constant("write" as const), op }), fc.record({ t: fc.constant("commit" as const) }), fc.record({ t: fc.constant("read" as const) }), fc.record({ t: fc.constant("stream" as const) }));

describe("TableReconciler", () => {
  it.each([1, 2])("ends with Kafka's latest row per key equal to the table, for any interleaving (%i chunks read ahead)", async (inFlight) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 7 }), fc.array(step, { maxLength: 200 }), async (initial, chunkSize, steps) => {
        const sim = new Simulation(initial, inFlight);
        for (const s of steps) {
          if (s.t === "write") sim.apply(s.op);
          else if (s.t === "commit") sim.commit(1);
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

  describe("resumed after a crash", () => {
    /** Session 2: Kafka keeps all session 1 sent; the copy and the stream resume from the checkpoint. */
    const resume = (crashed: Simulation, checkpoint: { finishedUpTo: Key | null; streamed: number; done: boolean }, resumed: boolean): Simulation => {
      const next = new Simulation(0, crashed.inFlight);
      next.table = crashed.table;
      next.binlog = crashed.binlog;
      next.out = crashed.out;
      next.visible = new Map(crashed.table);
      next.visibleUpTo = crashed.binlog.length;
      next.opened = crashed.opened;
      next.streamed = checkpoint.streamed;
      next.lower = checkpoint.finishedUpTo;
      next.reconciler = new TableReconciler(new KeyOrder(chunkKey, null), checkpoint.finishedUpTo, checkpoint.done, resumed);
      // A table whose copy the checkpoint records as done is not read again (the progress ledger).
      if (checkpoint.done) {
        next.reading = "done";
        next.begun = true;
        next.allRead = true;
      }
      return next;
    };
    const run = async (sim: Simulation, steps: { t: string; op?: Op }[], chunkSize: number) => {
      for (const s of steps) {
        if (s.t === "write") sim.apply(s.op as Op);
        else if (s.t === "commit") sim.commit(1);
        else if (s.t === "read") await sim.readStep(chunkSize);
        else await sim.streamStep();
      }
    };
    const property = (resumed: boolean) =>
      fc.asyncProperty(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 7 }), fc.array(step, { maxLength: 80 }), fc.array(step, { maxLength: 80 }), fc.array(step, { maxLength: 120 }), async (initial, chunkSize, acked, lost, after) => {
        const first = new Simulation(initial, 2);
        await run(first, acked, chunkSize);
        // The checkpoint: everything session 1 emitted so far was acknowledged and saved.
        const checkpoint = { finishedUpTo: first.reconciler.finishedUpTo, streamed: first.streamed, done: first.reconciler.state === "done" };
        // Sent (maybe acknowledged) after the checkpoint was written, then kill -9.
        await run(first, lost, chunkSize);
        const second = resume(first, checkpoint, resumed);
        await run(second, after, chunkSize);
        for (let guard = 0; (second.reading !== "done" || second.streamed < second.binlog.length) && guard < 10_000; guard++) {
          await second.readStep(chunkSize);
          await second.streamStep();
        }
        expect(second.latest()).toEqual(new Map([...second.table].sort((a, b) => a[0] - b[0])));
      });

    it("ends with Kafka's latest row per key equal to the table, whatever the first run sent past its checkpoint", async () => {
      await fc.assert(property(true), { numRuns: 1000 });
    });

    it("needs the deletes beyond the prefix: without them rows deleted meanwhile stay in Kafka", async () => {
      const result = await fc.check(property(false), { numRuns: 1000 });
      expect(result.failed).toBe(true);
    });

    it("sends deletes beyond the prefix, and an update that changes the key as a delete of the old one", async () => {
      const r = new TableReconciler(new KeyOrder(chunkKey, null), [10n], false, true);
      const deleted: KeyedChange = { before: [20n], after: null, afterImage: null };
      const moved: KeyedChange = { before: [20n], after: [30n], afterImage: [30n, 1n] };
      const updated: KeyedChange = { before: [20n], after: [20n], afterImage: [20n, 1n] };
      const inserted: KeyedChange = { before: null, after: [20n], afterImage: [20n, 1n] };
      expect(await r.admit([deleted, moved, updated, inserted], at(100))).toEqual(["send", "delete-before", "drop", "drop"]);
      const waiting = new TableReconciler(new KeyOrder(chunkKey, null), null, false, true);
      expect(await waiting.admit([deleted, inserted], at(100))).toEqual(["send", "drop"]);
    });
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

  it("sends the deletes a restarted one-pass copy needs: of rows its earlier attempt may have sent", async () => {
    const deleted: KeyedChange = { before: [], after: null, afterImage: null };
    const updated: KeyedChange = { before: [], after: [], afterImage: [1n, 2n] };
    const inserted: KeyedChange = { before: null, after: [], afterImage: [1n, 2n] };
    const restarted = new TableReconciler(null, null, false, true);
    expect(await restarted.admit([deleted, updated, inserted], at(10))).toEqual(["send", "delete-before", "drop"]);
    restarted.beginKeyless(at(50));
    expect(await restarted.admit([deleted, updated, inserted], at(40))).toEqual(["send", "delete-before", "drop"]);
    expect(await restarted.admit([deleted, updated, inserted], at(60))).toEqual(["send", "send", "send"]);
    const fresh = new TableReconciler(null);
    expect(await fresh.admit([deleted, updated, inserted], at(10))).toEqual(["drop", "drop", "drop"]);
  });

  it("passes a key-less table's changes after its low watermark only", async () => {
    const r = new TableReconciler(null);
    r.beginKeyless(at(50));
    expect(await r.admit([{ before: [], after: null, afterImage: null }], at(50))).toEqual(["drop"]);
    expect(await r.admit([{ before: [], after: null, afterImage: null }], at(51))).toEqual(["send"]);
  });
});
