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
  /** The tables the snapshot copies, fixed when it began (snapshotTableKey → progress). */
  tables: Record<string, TableSnapshotProgress>;
  /** Estimated rows per table (information_schema), for progress reporting. */
  estimates: Record<string, number>;
  schemaDone: boolean;
  complete: boolean;
}

const plainName = /^[^.`]+$/;

/**
 * A table's name in the progress record. `db.table` while neither name holds a dot or a
 * backtick (the form older checkpoints hold, and the readable one); otherwise both quoted as
 * MySQL quotes identifiers, `my.db`.`t`, so the split point is never a guess.
 */
export function snapshotTableKey(database: string, table: string): string {
  if (plainName.test(database) && plainName.test(table)) return `${database}.${table}`;
  const quote = (name: string) => `\`${name.replaceAll("`", "``")}\``;
  return `${quote(database)}.${quote(table)}`;
}

/** The database and table a key names; null when it is malformed or, in the plain form, has more than one dot. */
export function parseSnapshotTableKey(key: string): [string, string] | null {
  if (!key.startsWith("`")) {
    const parts = key.split(".");
    return parts.length === 2 && parts[0] && parts[1] ? [parts[0], parts[1]] : null;
  }
  const m = /^`((?:[^`]|``)+)`\.`((?:[^`]|``)+)`$/.exec(key);
  return m ? [(m[1] as string).replaceAll("``", "`"), (m[2] as string).replaceAll("``", "`")] : null;
}

/** Every table of a validated progress record as `[database, table, estimated rows]`. */
export function snapshotTableNames(progress: SnapshotProgress): [string, string, number][] {
  return Object.keys(progress.tables).map((key) => {
    const names = parseSnapshotTableKey(key);
    if (!names) throw new Error(`initial-sync progress names an ambiguous table "${key}"`);
    return [names[0], names[1], progress.estimates[key] ?? 0];
  });
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

const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function tableProblem(key: string, value: unknown): string | null {
  if (!parseSnapshotTableKey(key)) return `table "${key}" cannot be split into database and table unambiguously`;
  if (!isRecord(value)) return `table "${key}" is not an object`;
  const upTo = value.finishedUpTo;
  if (upTo !== null && !(Array.isArray(upTo) && upTo.every((part) => typeof part === "string"))) return `table "${key}": finishedUpTo must be null or a list of strings`;
  if (typeof value.done !== "boolean") return `table "${key}": done must be true or false`;
  if (!isCount(value.rowsDone) || !isCount(value.chunksDone)) return `table "${key}": rowsDone and chunksDone must be counts`;
  return null;
}

/** What is wrong with a stored progress record, or null when it is usable. */
export function snapshotProgressProblem(value: unknown): string | null {
  if (!isRecord(value)) return "it is not an object";
  if (typeof value.complete !== "boolean" || typeof value.schemaDone !== "boolean") return "complete and schemaDone must be true or false";
  if (!isRecord(value.tables)) return "tables must be an object";
  if (!isRecord(value.estimates) || !Object.values(value.estimates).every((n) => typeof n === "number" || n === null)) return "estimates must map tables to numbers";
  for (const [key, table] of Object.entries(value.tables)) {
    const problem = tableProblem(key, table);
    if (problem) return problem;
  }
  return null;
}

export function isSnapshotProgress(value: unknown): value is SnapshotProgress {
  return snapshotProgressProblem(value) === null;
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

/**
 * What one registration with the checkpoint tracker does to the progress: sets it whole (the
 * first registration of a sync), or replaces the entries of the tables it moved and sets the
 * flags. A registration then costs the same with ten tables or ten thousand.
 */
export type ProgressStep =
  | { kind: "whole"; progress: SnapshotProgress }
  | { kind: "tables"; tables: [string, TableSnapshotProgress][]; schemaDone?: true; complete?: true };

/** `progress` after `step`, changed in place (a whole step replaces it). */
export function applyProgressStep(progress: SnapshotProgress | undefined, step: ProgressStep): SnapshotProgress {
  if (step.kind === "whole") return step.progress;
  if (!progress) throw new Error("initial-sync progress moved before it was registered whole");
  for (const [id, entry] of step.tables) progress.tables[id] = entry;
  if (step.schemaDone) progress.schemaDone = true;
  if (step.complete) progress.complete = true;
  return progress;
}
