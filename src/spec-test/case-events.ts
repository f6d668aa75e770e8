// A case's steps → the binlog events the reader would hand the stream. Rows are kept per table as
// the case changes them, so a REPLACE becomes what the binlog logs for it (an insert, or an update
// of the row it replaces) and a delete or an update's before image may name only the row's key.
import type { DiagnosticBag } from "../compiler/index.js";
import { BinlogTableMap, type RawRow, type SourceEvent, type TableInfo, type ZoneClock } from "../runtime/index.js";
import type { CellValue, RowChangeStep, Step, TestCase } from "./model.js";
import { rawValue } from "./row-values.js";

const binlogFile = "mysql-bin.000001";
/** Bytes between consecutive events: positions only need to grow. */
const eventSize = 100;

type Row = unknown[];

const rawKey = (value: unknown): string => (value instanceof Uint8Array ? `b:${Buffer.from(value).toString("hex")}` : `v:${String(value)}`);

/** The server logs no row event for a change that leaves the stored row as it was. */
const sameRow = (a: Row, b: Row): boolean => a.every((value, i) => rawKey(value) === rawKey(b[i]));

/** Column indexes naming a row: the primary key, else the first unique key by name. */
function identity(table: TableInfo): number[] {
  const names = table.primaryKey.length ? table.primaryKey : (table.uniqueKeys[Object.keys(table.uniqueKeys).sort()[0] ?? ""] ?? []);
  return names.map((n) => table.columns.findIndex((c) => c.name === n));
}

class TableRows {
  readonly rows = new Map<string, Row>();
  readonly #identity: number[];

  constructor(readonly table: TableInfo) {
    this.#identity = identity(table);
  }

  /** Null when the row has no key: none given, or a NULL in it (NULLs never collide in a unique key). */
  keyOf(row: Row, given: ReadonlySet<number>): string | null {
    if (this.#identity.length === 0 || !this.#identity.every((i) => given.has(i) && row[i] !== null)) return null;
    return this.#identity.map((i) => rawKey(row[i])).join("\u0000");
  }
}

export class CaseEvents {
  readonly events: SourceEvent[] = [];
  readonly #tables = new Map<string, TableRows>();
  readonly #maps = new Map<string, BinlogTableMap>();
  #offset = 4;
  #xid = 0;

  constructor(
    private readonly testCase: TestCase,
    private readonly clock: ZoneClock,
    private readonly bag: DiagnosticBag,
  ) {
    for (const table of testCase.tables) {
      const key = `${table.database}.${table.table}`;
      this.#tables.set(key, new TableRows(table));
      this.#maps.set(key, new BinlogTableMap(table.database, table.table, table.columns.length, table.columns.map((c) => c.name), null));
    }
  }

  /** Builds the events of every step; false when a value could not be read (reported). */
  build(): boolean {
    const before = this.bag.items.length;
    for (const step of this.testCase.steps) this.#step(step);
    return this.bag.items.length === before;
  }

  #position() {
    this.#offset += eventSize;
    return { file: binlogFile, offset: this.#offset, gtidSet: null };
  }

  #step(step: Step): void {
    const timestampSeconds = this.testCase.timeSeconds;
    if (step.kind === "ddl") {
      this.events.push({ type: "ddl", database: step.database, sql: step.sql, gtid: null, position: this.#position(), timestampSeconds });
      return;
    }
    const begin = this.events.push({ type: "begin", gtid: null, timestampSeconds });
    for (const change of step.changes) this.#change(change, timestampSeconds);
    // A transaction that changed nothing is not logged at all.
    if (this.events.length === begin) this.events.pop();
    else this.events.push({ type: "commit", xid: String(++this.#xid), position: this.#position(), timestampSeconds });
  }

  /** A row from cells; columns not given come from `base` (the stored row), else NULL. */
  #row(rows: TableRows, cells: CellValue[], base: Row | null): { row: Row; given: Set<number> } {
    const columns = rows.table.columns;
    const row: Row = base ? [...base] : columns.map(() => null);
    const given = new Set<number>();
    for (const cell of cells) {
      const index = columns.findIndex((c) => c.name === cell.column);
      const read = rawValue(cell.value, columns[index] as TableInfo["columns"][number], this.clock);
      if (read.ok) row[index] = read.raw;
      else this.bag.report("wrongType", cell.value.span, read.message);
      given.add(index);
    }
    return { row, given };
  }

  /**
   * The full row `cells` name. A delete or an update's before image is filled from the stored row
   * with the same key when there is one; a new row (insert, replace) is what is written.
   */
  #fullRow(rows: TableRows, change: RowChangeStep): Row {
    const { row, given } = this.#row(rows, change.row, null);
    const key = rows.keyOf(row, given);
    const stored = key === null || change.kind === "insert" || change.kind === "replace" ? undefined : rows.rows.get(key);
    if (stored) return stored.map((value, i) => (given.has(i) ? row[i] : value));
    const span = change.span;
    const missing = rows.table.columns.filter((c, i) => !given.has(i) && !c.nullable).map((c) => c.name);
    if (missing.length) this.bag.report("missingAttribute", span, `the row gives no value for NOT NULL column(s) ${missing.join(", ")}`, "give every NOT NULL column a value: dts test knows no column defaults");
    return row;
  }

  #change(change: RowChangeStep, timestampSeconds: number): void {
    const name = `${change.database}.${change.table}`;
    const rows = this.#tables.get(name) as TableRows;
    const all = new Set(rows.table.columns.map((_, i) => i));
    const emit = (kind: "insert" | "update" | "delete", images: RawRow[] | { before: RawRow; after: RawRow }[]) =>
      this.events.push({ type: "rows", kind, database: change.database, table: change.table, tableMap: this.#maps.get(name) as BinlogTableMap, rows: images, timestampSeconds });
    const row = this.#fullRow(rows, change);
    const key = rows.keyOf(row, all);
    if (change.kind === "update") {
      const after = this.#row(rows, change.set ?? [], row).row;
      if (key !== null) rows.rows.delete(key);
      const afterKey = rows.keyOf(after, all);
      if (afterKey !== null) rows.rows.set(afterKey, after);
      if (!sameRow(row, after)) emit("update", [{ before: row, after }]);
    } else if (change.kind === "delete") {
      if (key !== null) rows.rows.delete(key);
      emit("delete", [row]);
    } else {
      const replaced = change.kind === "replace" && key !== null ? rows.rows.get(key) : undefined;
      if (change.kind === "insert" && key !== null && rows.rows.has(key)) this.bag.report("duplicateKey", change.span, `the case already holds a row with this key in ${name}: the insert would fail on the server`, "write replace to overwrite it, or update it");
      if (key !== null) rows.rows.set(key, row);
      // InnoDB logs a REPLACE that hits an existing row as an update of that row (or nothing when equal).
      if (replaced) {
        if (!sameRow(replaced, row)) emit("update", [{ before: replaced, after: row }]);
      } else emit("insert", [row]);
    }
  }
}
