// Writes benchmark rows over several connections, either at a target rate or flat out, and
// records when each transaction's COMMIT returned. The commit log answers "when had the
// source committed N rows?", which turns a Kafka message count into a delay.
import mysql from "mysql2/promise";
import type { BenchStack } from "../lib/stack.js";
import { insertSql } from "./bench-table.js";

export interface GeneratorOptions {
  table: string;
  /** Total rows to write. */
  rows: number;
  /** Rows per second; 0 writes flat out. */
  rate: number;
  /** Rows per INSERT (= per transaction, autocommit). */
  batchRows: number;
  connections: number;
  firstId: number;
  /** Called about once a second with rows committed so far. */
  onProgress?: (committed: number) => void;
}

export interface CommitRecord {
  batch: number;
  rows: number;
  /** Cumulative rows committed once this transaction returned. */
  cumulative: number;
  committedAt: number;
}

export class CommitLog {
  readonly records: CommitRecord[] = [];
  #cumulative = 0;
  readonly byBatch = new Map<number, number>();

  add(batch: number, rows: number, committedAt: number): void {
    this.#cumulative += rows;
    this.records.push({ batch, rows, cumulative: this.#cumulative, committedAt });
    this.byBatch.set(batch, committedAt);
  }

  get committed(): number {
    return this.#cumulative;
  }

  /** When the source had committed at least `rows` rows, or null if it has not yet. */
  timeOfRow(rows: number): number | null {
    const records = this.records;
    let lo = 0;
    let hi = records.length - 1;
    if (hi < 0 || (records[hi] as CommitRecord).cumulative < rows) return null;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((records[mid] as CommitRecord).cumulative >= rows) hi = mid;
      else lo = mid + 1;
    }
    return (records[lo] as CommitRecord).committedAt;
  }
}

let nextBatch = 1;

/** Writes the rows and resolves when all are committed; batch numbers are unique per process. */
export async function generateLoad(stack: BenchStack, database: string, options: GeneratorOptions, log = new CommitLog()): Promise<CommitLog> {
  const pool = mysql.createPool({
    host: stack.mysqlHost, port: stack.mysqlPort, user: stack.rootUser, password: stack.rootPassword,
    database, connectionLimit: options.connections,
  });
  const batches = Math.ceil(options.rows / options.batchRows);
  const start = performance.now();
  let next = 0;
  const timer = options.onProgress ? setInterval(() => options.onProgress?.(log.committed), 1000) : null;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= batches) return;
      const rows = Math.min(options.batchRows, options.rows - index * options.batchRows);
      if (options.rate > 0) {
        const due = start + ((index * options.batchRows) / options.rate) * 1000;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const batch = nextBatch++;
      await pool.query(insertSql(options.table, options.firstId + index * options.batchRows, rows, batch));
      log.add(batch, rows, Date.now());
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    if (timer) clearInterval(timer);
    await pool.end();
  }
  return log;
}

/** Writes `rows` rows in one transaction of many INSERTs; returns the time COMMIT returned. */
export async function oneBigTransaction(stack: BenchStack, database: string, table: string, rows: number, firstId: number): Promise<number> {
  const conn = await mysql.createConnection({ host: stack.mysqlHost, port: stack.mysqlPort, user: stack.rootUser, password: stack.rootPassword, database });
  try {
    await conn.query("BEGIN");
    const batch = nextBatch++;
    for (let done = 0; done < rows; done += 1000) await conn.query(insertSql(table, firstId + done, Math.min(1000, rows - done), batch));
    await conn.query("COMMIT");
    return Date.now();
  } finally {
    await conn.end();
  }
}
