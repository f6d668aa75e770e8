// Applies a table's watermark rule (TableReconciler) to one binlog rows event: converts the raw
// rows to canonical images and keys, asks the reconciler, and returns the parts of the event the
// stream sends, in order (an update that moves a row out of the copied part becomes a delete).
import type { RowImage, TableInfo } from "../change-event.js";
import { describeError, RuntimeError } from "../errors.js";
import type { ValueConverter } from "../record-emitter.js";
import type { RawRow } from "../source/binlog-events.js";
import type { RowsEvent } from "../source/transaction-assembler.js";
import type { BinlogPoint } from "./binlog-position.js";
import { keyOf, type Key } from "./chunk-key.js";
import type { SnapshotTable } from "./snapshot-tables.js";
import type { KeyedChange, TableReconciler } from "./table-reconciler.js";

/** Images over the snapshot's columns; raw rows are by table map position, matched by name. */
function imageReader(event: RowsEvent, info: TableInfo, convert: ValueConverter): (raw: RawRow) => RowImage {
  const positions = info.columns.map((column) => event.tableMap.names.indexOf(column.name));
  const gone = info.columns.find((_, i) => positions[i] === -1);
  // A column renamed or dropped since the copy read the table: the row cannot be one of the
  // copy's, and NULL in its place would be a wrong value that nothing repairs.
  if (gone) throw changedDuringCopy(info, gone.name, "it is no longer in the table (renamed or dropped)");
  // Same conversion as the record emitter, so window rows equal what the stream would send.
  return (raw) =>
    info.columns.map((column, i) => {
      const value = raw[positions[i] as number];
      if (value === null || value === undefined) return null;
      try {
        return convert(value, column);
      } catch (error) {
        throw changedDuringCopy(info, column.name, error);
      }
    });
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

function keyedChanges(event: RowsEvent, table: SnapshotTable, convert: ValueConverter): KeyedChange[] {
  const key = (image: RowImage): Key => (table.key ? keyOf(image, table.key) : []);
  const toImage = imageReader(event, table.info, convert);
  if (event.kind === "update") {
    return (event.rows as { before: RawRow; after: RawRow }[]).map((pair) => {
      const after = toImage(pair.after);
      return { before: key(toImage(pair.before)), after: key(after), afterImage: after };
    });
  }
  return (event.rows as RawRow[]).map((raw) => {
    const image = toImage(raw);
    return event.kind === "insert" ? { before: null, after: key(image), afterImage: image } : { before: key(image), after: null, afterImage: null };
  });
}

export async function admitRowsEvent(event: RowsEvent, point: BinlogPoint, table: SnapshotTable, reconciler: TableReconciler, convert: ValueConverter): Promise<RowsEvent[]> {
  const decisions = await reconciler.admit(keyedChanges(event, table, convert), point);
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
