// A write load whose every change can be found again in Kafka: each INSERT and UPDATE writes
// the next number into column `n`, each DELETE removes a row it inserted or updated before, and
// the load remembers the final `n` of every key it touched. Runs until stopped, one statement
// at a time on its own connection, so it keeps writing while a schema-change tool works.
import type mysql from "mysql2/promise";
import type { DecodedChange } from "./runtime-helpers.js";

export class NumberedWorkload {
  /** Every number written by an INSERT or UPDATE, in order. */
  readonly written: number[] = [];
  /** Keys the load deleted. */
  readonly deleted = new Set<number>();
  /** Final `n` by key, for keys the load touched; null once deleted. */
  readonly expected = new Map<number, number | null>();
  #live: number[] = [];
  #next = 0;
  #nextId: number;
  #stopping = false;
  #running: Promise<void> | null = null;
  #paused: { resume: () => void; resumed: Promise<void> } | null = null;
  #stepping: Promise<void> = Promise.resolve();

  constructor(
    private db: mysql.Connection,
    private readonly table: string,
    existingIds: number,
  ) {
    this.#live = Array.from({ length: existingIds }, (_, i) => i + 1);
    this.#nextId = existingIds + 1;
  }

  get steps(): number {
    return this.#next;
  }

  start(): void {
    this.#running = (async () => {
      while (!this.#stopping) {
        if (this.#paused) await this.#paused.resumed;
        else await (this.#stepping = this.step());
      }
    })();
  }

  /** Holds the load once the statement in flight is done, until `resume`. */
  async pause(): Promise<void> {
    if (!this.#paused) {
      let resume = () => {};
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      this.#paused = { resume, resumed };
    }
    await this.#stepping;
  }

  resume(): void {
    this.#paused?.resume();
    this.#paused = null;
  }

  /** Writes on through another connection (the new primary after a failover); pause first. */
  switchTo(db: mysql.Connection): void {
    this.db = db;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.resume();
    await this.#running;
  }

  /** One change: an insert, an update or a delete, in turn; keys are picked by a fixed stride. */
  async step(): Promise<void> {
    const n = ++this.#next;
    const kind = n % 3;
    if (kind === 0 || this.#live.length === 0) {
      const id = this.#nextId++;
      await this.#run(`INSERT INTO ${this.table} (id, n) VALUES (?, ?)`, [id, n]);
      this.#live.push(id);
      this.#wrote(id, n);
    } else {
      const at = (n * 7919) % this.#live.length;
      const id = this.#live[at] as number;
      if (kind === 1) {
        await this.#run(`UPDATE ${this.table} SET n = ? WHERE id = ?`, [n, id]);
        this.#wrote(id, n);
      } else {
        await this.#run(`DELETE FROM ${this.table} WHERE id = ?`, [id]);
        this.#live.splice(at, 1);
        this.deleted.add(id);
        this.expected.set(id, null);
      }
    }
  }

  /** One autocommit statement; a deadlock with a schema-change tool's copy rolls it back, so it runs again. */
  async #run(sql: string, values: unknown[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.query(sql, values);
        return;
      } catch (error) {
        const errno = (error as { errno?: number }).errno;
        if ((errno !== 1213 && errno !== 1205) || attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 10 * attempt));
      }
    }
  }

  #wrote(id: number, n: number): void {
    this.written.push(n);
    this.expected.set(id, n);
  }
}

/** Each key's `n` after applying the changes in order; null for a key whose last change deleted it. */
export function finalState(changes: DecodedChange[]): Map<number, number | null> {
  const state = new Map<number, number | null>();
  for (const change of changes) {
    if (change.type === "DDL") continue;
    const id = Number((change.after ?? change.before)?.id);
    state.set(id, change.type === "DELETE" ? null : Number(change.after?.n));
  }
  return state;
}
