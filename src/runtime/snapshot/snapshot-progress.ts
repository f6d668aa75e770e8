// What the checkpoint remembers of the initial sync: per table, the key up to which chunks were
// delivered and acknowledged, so a restart continues after it; whether the schema records went
// out; and whether the whole snapshot is complete. It travels with the checkpoint tracker, so it
// is only ever saved together with a binlog position at or after the chunks' high watermarks.

export interface TableSnapshotProgress {
  /** Encoded key (chunk-key.ts) of the last finished chunk's upper end; null before the first. */
  finishedUpTo: string[] | null;
  done: boolean;
  rowsDone: number;
  chunksDone: number;
}

export interface SnapshotProgress {
  /** The tables the snapshot copies, fixed when it began (`database.table` → progress). */
  tables: Record<string, TableSnapshotProgress>;
  /** Estimated rows per table (information_schema), for progress reporting. */
  estimates: Record<string, number>;
  schemaDone: boolean;
  complete: boolean;
}

export function emptyProgress(tables: [string, number][]): SnapshotProgress {
  return {
    tables: Object.fromEntries(tables.map(([id]) => [id, { finishedUpTo: null, done: false, rowsDone: 0, chunksDone: 0 }])),
    estimates: Object.fromEntries(tables),
    schemaDone: false,
    complete: false,
  };
}

export function cloneProgress(progress: SnapshotProgress): SnapshotProgress {
  return structuredClone(progress);
}

export function isSnapshotProgress(value: unknown): value is SnapshotProgress {
  const v = value as Partial<SnapshotProgress> | null;
  return typeof v === "object" && v !== null && typeof v.tables === "object" && v.tables !== null && typeof v.complete === "boolean" && typeof v.schemaDone === "boolean";
}

/** Rows done and estimated over all tables; a table's estimate never shows below what was read. */
export function totals(progress: SnapshotProgress): { rowsDone: number; rowsTotal: number } {
  let rowsDone = 0;
  let rowsTotal = 0;
  for (const [id, table] of Object.entries(progress.tables)) {
    rowsDone += table.rowsDone;
    const estimate = progress.estimates[id] ?? 0;
    rowsTotal += table.done ? table.rowsDone : Math.max(estimate, table.rowsDone);
  }
  return { rowsDone, rowsTotal };
}
