// Says why a copy stands still when its SELECT waits on the server. The usual cause is a
// metadata lock: a DDL statement on the table (ALTER, OPTIMIZE, TRUNCATE) waits for a long
// transaction, and every new read of the table queues behind the DDL. Progress then stops with
// nothing logged; this looks at the waiting reads' own server threads (any account may see its
// own in the process list) and warns once per wait, and again when it ends.
import type { Logger } from "../logger.js";

type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

interface Read {
  table: string;
  since: number;
  /** The server's state for the read when it was reported waiting; null until then. */
  reported: string | null;
}

/** A read running longer than this is looked at. */
const SLOW_READ_MS = 10_000;

export class ReadWatch {
  readonly #reads = new Map<number, Read>();
  readonly #query: Query;
  readonly #log: Logger;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | null = null;
  #looking = false;

  constructor(query: Query, log: Logger, options: { intervalMs?: number; now?: () => number } = {}) {
    this.#query = query;
    this.#log = log;
    this.#now = options.now ?? Date.now;
    this.#timer = setInterval(() => void this.look(), options.intervalMs ?? 5_000);
    this.#timer.unref();
  }

  /** A read of `table` began on the server thread `threadId`. */
  began(threadId: number | null | undefined, table: string): void {
    if (typeof threadId === "number") this.#reads.set(threadId, { table, since: this.#now(), reported: null });
  }

  ended(threadId: number | null | undefined): void {
    if (typeof threadId !== "number") return;
    const read = this.#reads.get(threadId);
    this.#reads.delete(threadId);
    if (read?.reported) this.#log.info({ table: read.table, waitedSeconds: Math.round((this.#now() - read.since) / 1000) }, "the initial sync's read of the table goes on: the wait ended");
  }

  /** Asks the server what the slow reads are doing; a failure to ask is not the copy's failure. */
  async look(): Promise<void> {
    const slow = [...this.#reads].filter(([, read]) => read.reported === null && this.#now() - read.since >= SLOW_READ_MS);
    if (slow.length === 0 || this.#looking) return;
    this.#looking = true;
    try {
      const rows = await this.#query("SELECT ID AS id, STATE AS state FROM information_schema.PROCESSLIST WHERE ID IN (?)", [slow.map(([id]) => id)]);
      for (const row of rows) this.#judge(Number(row.id), String(row.state ?? ""));
    } catch (error) {
      this.#log.debug({ error: error instanceof Error ? error.message : String(error) }, "the state of a slow initial sync read could not be asked");
    } finally {
      this.#looking = false;
    }
  }

  #judge(threadId: number, state: string): void {
    const read = this.#reads.get(threadId);
    if (!read || !/lock/i.test(state)) return;
    read.reported = state;
    const seconds = Math.round((this.#now() - read.since) / 1000);
    this.#log.warn(
      { table: read.table, serverThread: threadId, serverState: state, waitedSeconds: seconds, hint: "find the DDL statement waiting for the same lock and the transaction it waits for with SHOW PROCESSLIST (and information_schema.INNODB_TRX); end that transaction or cancel the DDL (KILL QUERY), and the copy goes on" },
      `the initial sync's read of ${read.table} has waited ${seconds} s for a lock ("${state}"): most often a DDL statement on the table waits for a long-running transaction, and reads queue behind it`,
    );
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#reads.clear();
  }
}
