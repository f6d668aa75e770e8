// The TableInfo a rows event is decoded with. information_schema describes a table as it is
// now; the binlog's table map describes the rows as they were written. With FULL metadata the
// table map wins wherever the two disagree (rows written before an ALTER, or of a table dropped
// since); a column whose shape did not change keeps its information_schema description, so
// ordinary rows encode exactly as before. Without it, a table information_schema does not know
// or a column count that no longer matches cannot be decoded: that is an error, never a skip.
import type { ColumnInfo, TableInfo } from "../change-event.js";
import { columnFamily } from "../encode/column-family.js";
import { RuntimeError } from "../errors.js";
import { METADATA_HINT, type BinlogTableMap, type LoggedColumns } from "./table-map.js";

/** MariaDB types the binlog carries as BINARY(n); their current definition is kept. */
const loggedAsBinary = new Set(["uuid", "inet4", "inet6"]);

const sameList = (a: readonly unknown[] | null, b: readonly unknown[] | null): boolean =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((v, i) => v === b[i]));

/**
 * Whether a logged column decodes and encodes like the current one: same name, type, and the
 * details the binlog carries (signedness, charset, scale, fsp, labels). Lengths of text columns
 * and FLOAT(M,D) are not in the binlog and are taken from the current definition.
 */
export function sameShape(current: ColumnInfo, logged: ColumnInfo): boolean {
  if (current.name !== logged.name) return false;
  if (loggedAsBinary.has(current.dataType)) return logged.dataType === "binary";
  const family = columnFamily(current);
  if (family !== columnFamily(logged)) return false;
  switch (family) {
    case "integer":
      return current.dataType === logged.dataType && current.unsigned === logged.unsigned;
    case "decimal":
      return current.precision === logged.precision && current.scale === logged.scale && current.unsigned === logged.unsigned;
    case "float":
    case "double":
      return current.unsigned === logged.unsigned;
    case "bit":
      return current.precision === logged.precision;
    case "datetime":
    case "timestamp":
    case "time":
      return current.fsp === logged.fsp;
    case "text":
      return current.dataType === logged.dataType && current.charset === logged.charset;
    case "binary":
      return current.dataType === logged.dataType;
    case "enum":
    case "set":
      return current.charset === logged.charset && sameList(current.labels, logged.labels);
    default:
      return true;
  }
}

/** Key names whose columns are all among `names` (null-prototype: index names are arbitrary). */
function keysWithin(keys: TableInfo["uniqueKeys"], names: readonly string[]): TableInfo["uniqueKeys"] {
  const kept: TableInfo["uniqueKeys"] = Object.create(null);
  for (const [index, columns] of Object.entries(keys)) if (columns.every((n) => names.includes(n))) kept[index] = columns;
  return kept;
}

function mergeLogged(current: TableInfo, logged: LoggedColumns): TableInfo {
  const byName = new Map(current.columns.map((c) => [c.name, c]));
  const columns = logged.columns().map((c) => {
    const known = byName.get(c.name);
    return known && sameShape(known, c) ? known : c;
  });
  const names = columns.map((c) => c.name);
  const primaryKey = logged.primaryKey ? [...logged.primaryKey] : current.primaryKey.every((n) => names.includes(n)) ? current.primaryKey : [];
  const unchanged = columns.length === current.columns.length && columns.every((c, i) => c === current.columns[i]) && sameList(primaryKey, current.primaryKey);
  if (unchanged) return current;
  return { database: current.database, table: current.table, columns, primaryKey, uniqueKeys: keysWithin(current.uniqueKeys, names) };
}

/**
 * Keeps the binlog's column names, each described as the current definition has it. A column
 * the current definition no longer has (dropped between zongji's reading of information_schema
 * and ours) is described as nullable text, the one shape that renders any value zongji decoded.
 */
export function followBinlogColumns(current: TableInfo, names: readonly string[]): TableInfo {
  if (sameList(current.columns.map((c) => c.name), names)) return current;
  const byName = new Map(current.columns.map((c) => [c.name, c]));
  return {
    ...current,
    columns: names.map(
      (name): ColumnInfo =>
        byName.get(name) ?? { name, columnType: "longtext", dataType: "longtext", typeCode: 252, unsigned: false, nullable: true, charset: "utf8mb4", precision: null, scale: null, fsp: null, labels: null },
    ),
    primaryKey: current.primaryKey.every((n) => names.includes(n)) ? current.primaryKey : [],
    uniqueKeys: keysWithin(current.uniqueKeys, names),
  };
}

/**
 * The table to decode the rows of `map` with. `current` is information_schema's description
 * (null when it does not show the table); `server` names the source in errors.
 */
export function rowsTable(current: TableInfo | null, map: BinlogTableMap, server: string): TableInfo {
  const logged = map.logged;
  if (logged && current) return mergeLogged(current, logged);
  if (logged) {
    const columns = [...logged.columns()];
    return { database: map.database, table: map.table, columns, primaryKey: logged.primaryKey ? [...logged.primaryKey] : [], uniqueKeys: Object.create(null) };
  }
  const name = `${map.database}.${map.table}`;
  if (!current) {
    throw new RuntimeError(
      "source-settings",
      `rows of ${name} arrived from ${server}, but information_schema does not show that table (dropped or renamed since the rows were written, or the user lacks SELECT on it) and the binlog's table map does not describe its columns (binlog_row_metadata is not FULL): the rows cannot be decoded, and the pipeline stops rather than skip them`,
      { hint: `GRANT SELECT on ${name} to the pipeline's user if the table exists; otherwise ${METADATA_HINT}` },
    );
  }
  if (map.names.length !== map.columnCount) {
    throw new RuntimeError(
      "source-settings",
      `rows of ${name} from ${server} carry ${map.columnCount} values, but the table now has ${map.names.length} columns (${map.names.join(", ")}): its columns changed after the rows were written and the binlog's table map does not name them (binlog_row_metadata is not FULL), so the values cannot be matched to columns; the pipeline stops rather than shift them`,
      { hint: METADATA_HINT },
    );
  }
  return followBinlogColumns(current, map.names);
}
