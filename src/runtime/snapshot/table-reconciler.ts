// The watermark rule for one table (DBLog / Flink CDC 2), applied to the binlog stream while the
// table is being copied. Chunks are read in key order, so the finished part of the table is a
// key prefix (keys ≤ finishedUpTo):
// - a change whose key lies in the finished prefix goes to Kafka (the stream is already past
//   that chunk's high watermark, so the chunk did not see it);
// - a change whose key lies beyond it is dropped: a later chunk SELECT will see its effect;
// - once the table's copy began, changes beyond the prefix are also kept in a window; when the
//   stream reaches a chunk's high watermark, the window's changes in the chunk's key range are
//   applied to its rows (upsert the after-image, remove the before-key), so the chunk goes out
//   as the table was at the high watermark.
// An update that moves a row out of the finished prefix goes out as a delete of the old key
// only: the new key belongs to a chunk not yet read, and a later change of it would be dropped,
// so sending it now could leave a row in Kafka that the table no longer has.
// A copy resumed after a crash may have sent chunks beyond the finished prefix that the
// checkpoint does not hold (sent, or even acknowledged, after it was written). A later read of
// such a chunk cannot tell Kafka that a row it sent is gone, so while such a table is copied,
// deletes of keys beyond the prefix go out as they come (an update that changes the key as a
// delete of the old one); a delete may then reach Kafka for a row whose insert never did. A
// one-pass copy restarted does the same with the changes before its new read: the rows the
// earlier attempt sent stay in Kafka, and the new read cannot tell that one of them is gone.
// The window is opened in the process before the chunk's SELECT is sent, not at a binlog
// position: a change the SELECT misses committed after it began, so the stream admits it after
// that. Except a transaction whose binlog event arrived just before its commit became visible
// to readers: for it the window keeps changes from the previous chunk's opening on (the first
// chunk's: from the table's start). Applying a change the SELECT already saw is harmless, as
// each entry sets a key's whole state.
import type { RowImage } from "../change-event.js";
import { comparePoints, type BinlogPoint } from "./binlog-position.js";
import { keyId, type Key } from "./chunk-key.js";
import { ImageRows, type ChunkRows } from "./chunk-rows.js";
import type { KeyOrder } from "./key-order.js";

export interface KeyedChange {
  /** Key of the before-image (update, delete), else null. */
  before: Key | null;
  /** Key of the after-image (insert, update), else null. */
  after: Key | null;
  afterImage: RowImage | null;
  /**
   * Logged before the table took the shape the copy reads (a resumed copy replaying what came
   * before a DDL): the copy's SELECT, later, already holds its effect, and its image does not
   * fit the copy's columns, so it is decided on by its keys but not applied to a chunk.
   */
  predates?: boolean;
}

type WindowEntry = ({ op: "upsert"; key: Key; image: RowImage } | { op: "remove"; key: Key }) & { seq: number };

export type ReconcilerState = "waiting" | "reading" | "done";

/** What the stream does with a change: send it, drop it, or send only the delete of its old key. */
export type Decision = "send" | "drop" | "delete-before";

export class TableReconciler {
  readonly #order: KeyOrder | null;
  #state: ReconcilerState = "waiting";
  #finishedUpTo: Key | null;
  #window: WindowEntry[] | null = null;
  /** Changes admitted into the window so far: an entry's `seq` and a chunk's opening mark. */
  #admitted = 0;
  /** The `#admitted` count when each chunk still being read opened, oldest first. */
  readonly #opened: number[] = [];
  /** One-pass tables: stream changes after this point go out, once the read ended (duplicates are possible). */
  #keylessFrom: BinlogPoint | null = null;
  /** Whether an earlier run may have sent rows beyond the finished prefix (see above). */
  readonly #resumed: boolean;

  /** `order` is null for a table read in one pass (no usable key); `resumed` when an earlier run copied it. */
  constructor(order: KeyOrder | null, finishedUpTo: Key | null = null, done = false, resumed = false) {
    this.#order = order;
    this.#finishedUpTo = finishedUpTo;
    this.#resumed = resumed;
    // A resumed table has a finished prefix whose changes must flow before its copier restarts.
    if (done) this.#state = "done";
    else if (finishedUpTo !== null) this.#state = "reading";
  }

  get state(): ReconcilerState {
    return this.#state;
  }

  get finishedUpTo(): Key | null {
    return this.#finishedUpTo;
  }

  /** Whether a chunk is being read (opened and not yet closed). */
  get windowOpen(): boolean {
    return this.#opened.length > 0;
  }

  /**
   * The table's copy begins: from now on changes in the finished prefix go out, and the others
   * are kept for the first chunk.
   */
  begin(): void {
    if (this.#state === "waiting") this.#state = "reading";
    if (this.#state === "reading") this.#window ??= [];
  }

  /**
   * A chunk's SELECT is about to be sent: changes beyond the finished prefix are kept for it
   * until `closeWindow`. Chunks close in the order they opened.
   */
  openWindow(): void {
    this.#window ??= [];
    this.#opened.push(this.#admitted);
  }

  /** A one-pass table's read starts at `lowWater`; later changes go out after its rows. */
  beginKeyless(lowWater: BinlogPoint): void {
    this.#state = "reading";
    this.#keylessFrom = lowWater;
  }

  /**
   * Whether a change at `position` must wait for the table's one-pass read to end: the read
   * sends the table as its SELECT saw it, so a later change sent before those rows would be
   * overwritten by an older one (or a deleted row come back).
   */
  waitsForOnePassRead(position: BinlogPoint): boolean {
    return this.#state === "reading" && this.#keylessFrom !== null && comparePoints(position, this.#keylessFrom) > 0;
  }

  finish(): void {
    this.#state = "done";
    this.#window = null;
    this.#opened.length = 0;
    this.#keylessFrom = null;
  }

  /** Decides for each change of a committed transaction at `position` what goes to Kafka now. */
  async admit(changes: readonly KeyedChange[], position: BinlogPoint): Promise<Decision[]> {
    if (this.#state === "done") return changes.map(() => "send");
    if (this.#order === null) {
      const after = this.#keylessFrom !== null && comparePoints(position, this.#keylessFrom) > 0;
      return changes.map((change) => (after ? "send" : this.#beforeOnePassRead(change)));
    }
    if (this.#state === "waiting") return changes.map((change) => this.#beyondPrefix(change));
    const finished = await this.#inFinished(changes);
    return changes.map((change, i) => {
      const [beforeIn, afterIn] = finished[i] as [boolean, boolean];
      if (this.#window && !change.predates) {
        if (change.before && !beforeIn) this.#window.push({ op: "remove", key: change.before, seq: this.#admitted++ });
        if (change.after && !afterIn) this.#window.push({ op: "upsert", key: change.after, image: change.afterImage as RowImage, seq: this.#admitted++ });
      }
      if (afterIn || (beforeIn && change.after === null)) return "send";
      return beforeIn ? "delete-before" : this.#beyondPrefix(change);
    });
  }

  /**
   * A change before a one-pass read begins: the read sends its effect, except where a restarted
   * copy's earlier rows are in Kafka already: a row deleted since (or an update's old row) would
   * stay there, so its delete goes out. Without a key the delete names the row by its image.
   */
  #beforeOnePassRead(change: KeyedChange): Decision {
    if (!this.#resumed || change.before === null) return "drop";
    return change.after === null ? "send" : "delete-before";
  }

  /** A change whose keys both lie beyond the finished prefix: dropped, except a resumed copy's deletes. */
  #beyondPrefix(change: KeyedChange): Decision {
    if (!this.#resumed || change.before === null) return "drop";
    if (change.after === null) return "send";
    return keyId(change.before) === keyId(change.after) ? "drop" : "delete-before";
  }

  async #inFinished(changes: readonly KeyedChange[]): Promise<[boolean, boolean][]> {
    const bound = this.#finishedUpTo;
    if (bound === null) return changes.map(() => [false, false]);
    const pairs: [Key, Key][] = [];
    for (const change of changes) {
      if (change.before) pairs.push([change.before, bound]);
      if (change.after) pairs.push([change.after, bound]);
    }
    const signs = await (this.#order as KeyOrder).compareMany(pairs);
    let next = 0;
    return changes.map((change) => [change.before ? (signs[next++] as number) <= 0 : false, change.after ? (signs[next++] as number) <= 0 : false]);
  }

  /**
   * The stream reached the chunk's high watermark: applies the window's changes whose keys are
   * ≤ `upper` (all of them for the last chunk, `upper` null) to the chunk's rows and returns the
   * rows as of the high watermark, and how many window changes were applied. The finished
   * prefix then extends to `upper`.
   */
  async closeWindow(rows: ChunkRows, upper: Key | null): Promise<{ rows: ChunkRows; applied: number }> {
    const window = this.#window ?? [];
    const openedAt = this.#opened.shift() ?? 0;
    const inChunk = upper === null ? window.map(() => true) : (await (this.#order as KeyOrder).compareMany(window.map((e) => [e.key, upper] as const))).map((s) => s <= 0);
    if (upper === null) this.finish();
    else {
      this.#finishedUpTo = upper;
      // What stays lies beyond the chunk, for the chunks after it, back to this chunk's opening.
      this.#window = window.filter((entry, i) => !inChunk[i] && entry.seq >= openedAt);
    }
    // Mostly nothing changed in the chunk's range while it was read; its keys are distinct (a
    // primary or unique NOT NULL key), so the rows are then the chunk as read.
    if (!inChunk.includes(true)) return { rows, applied: 0 };
    const byKey = new Map<string, { key: Key; image: RowImage }>();
    for (let i = 0; i < rows.length; i++) {
      const key = rows.key(i);
      byKey.set(keyId(key), { key, image: rows.image(i) });
    }
    let applied = 0;
    window.forEach((entry, i) => {
      if (!inChunk[i]) return;
      applied++;
      if (entry.op === "remove") byKey.delete(keyId(entry.key));
      else byKey.set(keyId(entry.key), { key: entry.key, image: entry.image });
    });
    const kept = [...byKey.values()];
    return { rows: new ImageRows(kept.map((row) => row.image), kept.map((row) => row.key)), applied };
  }
}
