// How many rows a chunk's SELECT asks for: the spec's chunk_size, or fewer when the table's rows
// are so wide that a chunk of that many would hold more than CHUNK_BYTES. A table's copier
// holds two chunks (one being sent, the next being read), so its memory stays bounded in bytes
// whatever the rows' width: at 1,000 rows of 1 MB, a chunk would otherwise hold a gigabyte. The
// first chunk goes by information_schema's average row length, the next ones by the bytes of
// the chunk before. The estimate is trusted only for a table larger than a chunk's bytes by its
// estimates too: InnoDB reports a whole page per row for a table it sampled with one row in it.

/** Bytes of values a chunk stays under, once its rows' width is known. */
export const CHUNK_BYTES = 8 * 1024 * 1024;

export class ChunkSizer {
  /** Bytes per row: estimated, then measured; 0 while unknown. */
  #rowBytes: number;

  /** `estimate`: information_schema's rows and average row length for the table (0 when unknown). */
  constructor(
    readonly maxRows: number,
    estimate: { rows: number; rowBytes: number },
    readonly maxBytes: number = CHUNK_BYTES,
  ) {
    this.#rowBytes = estimate.rowBytes > 0 && estimate.rows * estimate.rowBytes > maxBytes ? estimate.rowBytes : 0;
  }

  /** Rows for the next SELECT: at least one. */
  next(): number {
    if (this.#rowBytes === 0) return this.maxRows;
    return Math.max(1, Math.min(this.maxRows, Math.floor(this.maxBytes / this.#rowBytes)));
  }

  /** The chunk just read: its rows and the bytes of their values. */
  observe(rows: number, bytes: number): void {
    if (rows > 0) this.#rowBytes = bytes / rows;
  }
}
