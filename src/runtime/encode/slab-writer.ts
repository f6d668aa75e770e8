// Messages are written straight into a slab and handed out as views of it, so a message costs no
// allocation and no copy. A slab is never written again while a view of it may be read: once the
// writer has moved on from it and every message taken from it has been released (its bytes
// copied into a record batch), it is written from the start again. Messages never released keep
// their slab to themselves until the GC takes it, as in Node's own Buffer pool.
//
// Why reuse: a fresh slab is external memory, which V8 only frees in a collection and counts
// toward starting a full one. Canal-JSON messages at 10k-20k rows/s brought a full collection
// about every second that way (docs/benchmarks.md). The format writers (Avro, JSON) build on this.

/** Buffer's native UTF-8 writer, without the argument checks of `buf.write(s, pos, "utf8")`. */
type WritableBuffer = Buffer & { utf8Write(text: string, offset: number): number };

const SLAB_SIZE = 64 * 1024;
/** Released slabs a writer keeps for reuse (4 MiB at the default size); more are left to the GC. */
const MAX_SPARE_SLABS = 64;

/** A slab and what its writer needs to know before writing it again. */
interface Slab {
  buf: WritableBuffer;
  owner: SlabWriter;
  /** Messages taken from it and not yet released. */
  outstanding: number;
  /** The writer has moved on to another slab. */
  sealed: boolean;
}

/** Each slab by its memory, to find the slab of a released view. */
const slabs = new WeakMap<ArrayBufferLike, Slab>();

/** Strings this short are copied by a JS loop when ASCII: cheaper than a native call. */
export const SHORT_STRING = 32;

/** 10^i for i in 0..16: a safe integer has at most 16 digits. */
const POWERS_OF_TEN = Array.from({ length: 17 }, (_, i) => 10 ** i);
/** "00" to "99" as ASCII byte pairs. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 0x30 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Kept as a constant: negating a BigInt allocates a new one. */
const MIN_SAFE = -MAX_SAFE;

/** The integer as a number when a double holds it exactly (its text is then written without a string), else null. */
export function safeInteger(n: bigint | number): number | null {
  if (typeof n === "number") return Number.isSafeInteger(n) ? n : null;
  return n <= MAX_SAFE && n >= MIN_SAFE ? Number(n) : null;
}

export class SlabWriter {
  protected buf: WritableBuffer;
  protected start = 0;
  protected pos = 0;
  readonly #slabSize: number;
  #slab: Slab;
  readonly #spare: Slab[] = [];

  constructor(slabSize = SLAB_SIZE) {
    this.#slabSize = slabSize;
    this.#slab = this.#freshSlab(slabSize);
    this.buf = this.#slab.buf;
  }

  /**
   * Hands back a message taken from a writer once nothing will read it again (its bytes were
   * copied); its slab is reused when all of its messages are back. Release each message once:
   * a second release could let its slab be overwritten under another message still in use.
   * Views of other memory, strings and null are ignored.
   */
  static release(message: Uint8Array | string | null): void {
    if (message === null || typeof message === "string") return;
    const slab = slabs.get(message.buffer);
    if (slab === undefined) return;
    if (slab.outstanding <= 0) throw new Error("SlabWriter.release: more messages released than taken from this slab");
    if (--slab.outstanding === 0 && slab.sealed) slab.owner.#keepSpare(slab);
  }

  #freshSlab(size: number): Slab {
    // Never from Node's shared pool: the slab's ArrayBuffer must be its own to identify it.
    const slab: Slab = { buf: Buffer.allocUnsafeSlow(size) as WritableBuffer, owner: this, outstanding: 0, sealed: false };
    slabs.set(slab.buf.buffer, slab);
    return slab;
  }

  #keepSpare(slab: Slab): void {
    if (slab.buf.length === this.#slabSize && this.#spare.length < MAX_SPARE_SLABS) this.#spare.push(slab);
  }

  /** Moves the message begun so far to another slab when `extra` more bytes do not fit. */
  protected ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const used = this.pos - this.start;
    const size = Math.max(this.#slabSize, 2 * (used + extra));
    const spare = size === this.#slabSize ? this.#spare.pop() : undefined;
    const next = spare ?? this.#freshSlab(size);
    next.sealed = false;
    this.buf.copy(next.buf, 0, this.start, this.pos);
    const done = this.#slab;
    done.sealed = true;
    if (done.outstanding === 0) this.#keepSpare(done);
    this.#slab = next;
    this.buf = next.buf;
    this.start = 0;
    this.pos = used;
  }

  /** One byte (an ASCII character code). */
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Text as bare UTF-8, without a length in front. */
  text(s: string): void {
    const n = s.length;
    this.ensure(3 * n);
    const buf = this.buf;
    const at = this.pos;
    if (n <= SHORT_STRING) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === n) {
        this.pos = at + n;
        return;
      }
    }
    this.pos = at + buf.utf8Write(s, at);
  }

  /** n (0–99) as two ASCII digits, with a leading zero. */
  twoDigits(n: number): void {
    this.ensure(2);
    const buf = this.buf;
    buf[this.pos++] = DIGIT_PAIRS[n << 1] as number;
    buf[this.pos++] = DIGIT_PAIRS[(n << 1) + 1] as number;
  }

  /** Characters of the decimal text of n, a safe integer, as String(n) writes it. */
  protected static decimalWidth(n: number): number {
    const magnitude = n < 0 ? -n : n;
    let digits = 1;
    while (digits < 16 && magnitude >= (POWERS_OF_TEN[digits] as number)) digits++;
    return n < 0 ? digits + 1 : digits;
  }

  /**
   * The decimal text of n, a safe integer, in `width` (its decimalWidth) ASCII bytes. Two digits
   * per step, in int32 arithmetic: past 2^31 the low eight digits go first, leaving a quotient
   * below 2^31. A division per digit in doubles took twice as long (46 against 23 ns for the
   * bench table's integers).
   */
  protected decimal(n: number, width: number): void {
    this.ensure(width);
    const buf = this.buf;
    let at = this.pos + width;
    this.pos = at;
    if (n < 0) {
      buf[at - width] = 0x2d; // '-'
      n = -n;
    }
    if (n > 0x7fffffff) {
      const high = Math.floor(n / 1e8);
      let low = n - high * 1e8;
      for (let pair = 0; pair < 4; pair++) {
        const rest = (low / 100) | 0;
        const two = (low - rest * 100) << 1;
        buf[--at] = DIGIT_PAIRS[two + 1] as number;
        buf[--at] = DIGIT_PAIRS[two] as number;
        low = rest;
      }
      n = high;
    }
    while (n >= 100) {
      const rest = (n / 100) | 0;
      const two = (n - rest * 100) << 1;
      buf[--at] = DIGIT_PAIRS[two + 1] as number;
      buf[--at] = DIGIT_PAIRS[two] as number;
      n = rest;
    }
    if (n >= 10) {
      buf[--at] = DIGIT_PAIRS[(n << 1) + 1] as number;
      buf[--at] = DIGIT_PAIRS[n << 1] as number;
    } else buf[--at] = 0x30 + n;
  }

  /** Bytes already in the format (precomputed constant parts of a message). */
  raw(b: Uint8Array): void {
    const n = b.length;
    this.ensure(n);
    const buf = this.buf;
    // A few bytes (union branch and friends) copy faster by hand than through TypedArray.set.
    if (n <= 8) for (let i = 0; i < n; i++) buf[this.pos + i] = b[i] as number;
    else buf.set(b, this.pos);
    this.pos += n;
  }

  /** Bytes source[start, start + size) as they are (a value already in the format's text). */
  span(source: Uint8Array, start: number, size: number): void {
    this.ensure(size);
    const buf = this.buf;
    // Short values copy faster by hand than through a native copy, which builds a view per call.
    if (size <= 32) for (let i = 0; i < size; i++) buf[this.pos + i] = source[start + i] as number;
    else buf.set(source.subarray(start, start + size), this.pos);
    this.pos += size;
  }

  /** Position of the next byte within the current message (for `repeat`). */
  get mark(): number {
    return this.pos - this.start;
  }

  /** Writes again the bytes of the current message from `from` (a `mark`) to here. */
  repeat(from: number): void {
    const length = this.mark - from;
    this.ensure(length);
    const at = this.start + from;
    const buf = this.buf;
    // Buffer.copy of a range builds a view object per call; positions are a few dozen bytes.
    if (length <= 64) for (let i = 0; i < length; i++) buf[this.pos + i] = buf[at + i] as number;
    else buf.copy(buf, this.pos, at, at + length);
    this.pos += length;
  }

  /** Starts a message, dropping whatever a message that failed half-way left behind. */
  begin(): void {
    this.pos = this.start;
  }

  /** The message written since the last take, as a view that nothing overwrites until it is released. */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    this.#slab.outstanding++;
    return out;
  }
}
