// Orders chunk keys exactly as the server's index does. Numbers, temporal values and bytes are
// compared in JavaScript; text under a collation is compared by the server with STRCMP under
// that collation, many pairs per query, with the answers cached (the same bounds recur).
import { compareLocal, type ChunkKey, type Key } from "./chunk-key.js";

/** Runs one SELECT and returns its single row (a mysql2 connection reserved for comparisons). */
export type ServerQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>>;

const maxCached = 50_000;

export class KeyOrder {
  readonly #key: ChunkKey;
  readonly #query: ServerQuery | null;
  readonly #cache = new Map<string, number>();

  constructor(key: ChunkKey, query: ServerQuery | null) {
    this.#key = key;
    this.#query = query;
    for (const column of key.columns) {
      if (column.family === "text" && (column.collation === null || !/^\w+$/.test(column.collation))) {
        throw new Error(`key column ${column.column.name} has no usable collation`);
      }
    }
  }

  /** Whether every comparison can be answered without the server. */
  get local(): boolean {
    return this.#key.columns.every((c) => c.family !== "text");
  }

  /** Signs of a − b for each pair (−1, 0, 1). */
  async compareMany(pairs: readonly (readonly [Key, Key])[]): Promise<number[]> {
    const results = new Array<number>(pairs.length).fill(0);
    // For each unresolved pair, the column where the walk stopped.
    let pending: { pair: number; column: number }[] = pairs.map((_, pair) => ({ pair, column: 0 }));
    while (pending.length > 0) {
      const ask: { pair: number; column: number }[] = [];
      for (const item of pending) {
        const [a, b] = pairs[item.pair] as readonly [Key, Key];
        for (; item.column < this.#key.columns.length; item.column++) {
          const column = this.#key.columns[item.column] as ChunkKey["columns"][number];
          const c = compareLocal(a[item.column] ?? null, b[item.column] ?? null, column) ?? this.#cached(a[item.column] as string, b[item.column] as string, item.column);
          if (c === null) {
            ask.push(item);
            break;
          }
          if (c !== 0) {
            results[item.pair] = c;
            item.column = Number.POSITIVE_INFINITY;
            break;
          }
        }
      }
      if (ask.length > 0) await this.#askServer(ask.map((item) => {
        const [a, b] = pairs[item.pair] as readonly [Key, Key];
        return { column: item.column, a: a[item.column] as string, b: b[item.column] as string };
      }));
      pending = ask;
    }
    return results;
  }

  async compare(a: Key, b: Key): Promise<number> {
    return (await this.compareMany([[a, b]]))[0] as number;
  }

  /** `a`'s length keeps pairs apart whose texts hold the separator (NUL is a valid character). */
  #cacheKey(a: string, b: string, column: number): string {
    return `${column}:${a.length}:${a}\u0000${b}`;
  }

  #cached(a: string, b: string, column: number): number | null {
    return this.#cache.get(this.#cacheKey(a, b, column)) ?? null;
  }

  async #askServer(questions: { column: number; a: string; b: string }[]): Promise<void> {
    if (!this.#query) throw new Error("comparing text keys needs a server connection");
    const batch = 200;
    for (let start = 0; start < questions.length; start += batch) {
      const part = questions.slice(start, start + batch);
      const params: unknown[] = [];
      const terms = part.map((q, i) => {
        const column = this.#key.columns[q.column] as ChunkKey["columns"][number];
        const charset = (column.column.charset ?? "utf8mb4").replace(/\W/g, "");
        const side = `CONVERT(? USING ${charset}) COLLATE ${column.collation}`;
        params.push(q.a, q.b);
        return `STRCMP(${side}, ${side}) AS c${i}`;
      });
      const row = await this.#query(`SELECT ${terms.join(", ")}`, params);
      if (this.#cache.size > maxCached) this.#cache.clear();
      part.forEach((q, i) => this.#cache.set(this.#cacheKey(q.a, q.b, q.column), Number(row[`c${i}`])));
    }
  }
}
