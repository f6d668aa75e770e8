// Applies a table's watermark rule (TableReconciler) to one binlog rows event: converts the raw
// rows to canonical images and keys, asks the reconciler, and returns the parts of the event the
// stream sends, in order (an update that moves a row out of the copied part becomes a delete).
import type { RowImage, TableInfo } from "../change-event.js";
import { describeError, RuntimeError } from "../errors.js";
import type { ValueConverter } from "../record-emitter.js";
import type { RawRow } from "../source/binlog-events.js";
import type { RowsEvent } from "../source/transaction-assembler.js";
import { comparePoints, type BinlogPoint } from "./binlog-position.js";
import { keyOf, type Key } from "./chunk-key.js";
import type { SnapshotTable } from "./snapshot-tables.js";
import type { KeyedChange, TableReconciler } from "./table-reconciler.js";

/** Images over the snapshot's columns; raw rows are by table map position, matched by name. `gone`: a column the table map lacks (its value reads as NULL). */
function imageReader(event: RowsEvent, info: TableInfo, convert: ValueConverter): { read: (raw: RawRow) => RowImage; gone: string | null } {
  const positions = info.columns.map((column) => event.tableMap.names.indexOf(column.name));
  const gone = info.columns.find((_, i) => positions[i] === -1)?.name ?? null;
  // Same conversion as the record emitter, so window rows equal what the stream would send.
  const read = (raw: RawRow): RowImage =>
    info.columns.map((column, i) => {
      const position = positions[i] as number;
      const value = position < 0 ? null : raw[position];
      if (value === null || value === undefined) return null;
      try {
        return convert(value, column);
      } catch (error) {
        throw changedDuringCopy(info, column.name, error);
      }
    });
  return { read, gone };
}

/**
 * A row the stream logged after a DDL changed a column (ALTER … MODIFY, a rename or a drop while
 * the table was being copied) does not fit the columns the copy read. A new session reads the table as it
 * is now and goes on from the last finished chunk.
 */
function changedDuringCopy(info: TableInfo, column: string, error: unknown): RuntimeError {
  const why = typeof error === "string" ? error : `a row logged since does not fit it: ${describeError(error)}`;
  return new RuntimeError("source-stream", `column ${column} of ${info.database}.${info.table} changed while the initial sync copied the table (${why}); the sync goes on in a new session from its last finished chunk, with the table as it is now`, {
    ...(typeof error === "string" ? {} : { cause: error }),
    retriable: true,
  });
}

/**
 * A column the copy reads is missing from the event's table map: the table was renamed or had
 * a column renamed or dropped between the two. An event logged before the copy's description of
 * the table (a new session replaying what came before the DDL) is decided on by its keys only;
 * one logged after cannot be fitted into the copy, and a new session reads the table anew.
 */
function predatesCopy(gone: string | null, table: SnapshotTable, point: BinlogPoint): boolean {
  if (gone === null) return false;
  const keyGone = table.key?.columns.some((c) => c.column.name === gone) ?? false;
  if (!keyGone && table.describedAt && comparePoints(point, table.describedAt) < 0) return true;
  throw changedDuringCopy(table.info, gone, "it is no longer in the table (renamed or dropped)");
}

function keyedChanges(event: RowsEvent, table: SnapshotTable, convert: ValueConverter, point: BinlogPoint): KeyedChange[] {
  const key = (image: RowImage): Key => (table.key ? keyOf(image, table.key) : []);
  const { read: toImage, gone } = imageReader(event, table.info, convert);
  const predates = predatesCopy(gone, table, point);
  const changes: KeyedChange[] =
    event.kind === "update"
      ? (event.rows as { before: RawRow; after: RawRow }[]).map((pair) => {
          const after = toImage(pair.after);
          return { before: key(toImage(pair.before)), after: key(after), afterImage: after };
        })
      : (event.rows as RawRow[]).map((raw) => {
          const image = toImage(raw);
          return event.kind === "insert" ? { before: null, after: key(image), afterImage: image } : { before: key(image), after: null, afterImage: null };
        });
  return predates ? changes.map((change) => ({ ...change, predates })) : changes;
}

export async function admitRowsEvent(event: RowsEvent, point: BinlogPoint, table: SnapshotTable, reconciler: TableReconciler, convert: ValueConverter): Promise<RowsEvent[]> {
  const decisions = await reconciler.admit(keyedChanges(event, table, convert, point), point);
  if (decisions.every((d) => d === "send")) return [event];
  const parts: RowsEvent[] = [];
  decisions.forEach((decision, i) => {
    if (decision === "drop") return;
    const raw = (event.rows as unknown[])[i];
    const kind = decision === "send" ? event.kind : "delete";
    const row = decision === "send" ? raw : (raw as { before: RawRow }).before;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) (last.rows as unknown[]).push(row);
    else parts.push({ ...event, kind, rows: [row] } as RowsEvent);
  });
  return parts;
}

/** Whether a transaction changes a table whose one-pass read must end before the change goes out. */
export function waitsForOnePassRead(unit: { rows: readonly RowsEvent[] }, point: BinlogPoint, reconcilerOf: (event: RowsEvent) => TableReconciler | undefined): boolean {
  return unit.rows.some((event) => reconcilerOf(event)?.waitsForOnePassRead(point) ?? false);
}
