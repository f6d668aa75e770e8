// Five changes to @vlasky/zongji 0.9, applied to its classes once per process (the event
// classes are not exported, so they are reached through the package's files):
//
// 1. Charsets of FULL-metadata table maps. The server lists a charset for every "character"
//    column and counts GEOMETRY among them (its field class derives from BLOB); zongji does
//    not, so every text or blob column after a GEOMETRY column takes its neighbour's charset:
//    a BLOB after a POINT is decoded as utf8mb4 text and its bytes are lost, a TEXT is decoded
//    as latin1, and so on. We re-read the two charset fields with the server's classification
//    inside zongji's own parsing of the table map, before any row is decoded with them.
// 2. Rows events without a table map. zongji marks them filtered and drops them without a
//    word; we have it report them, so the reader fails instead of losing the rows. Only the
//    rows of a table the pipeline does not select (its table map filtered on purpose, see
//    `selectTables`) are skipped quietly.
// 3. Row images. They are read by row-image-reader.ts (the common types straight from the
//    bytes, the others by zongji's own value reader) instead of zongji's generic reader.
// 4. MariaDB FULL table maps with classic temporal type codes. zongji describes them from
//    information_schema as it is when the rows are read, matched by position; they are
//    described from the binlog instead (classic-temporal.ts).
// 5. Charsets zongji's iconv-lite lacks (dec8, swe7, keybcs2, geostd8, hp8). zongji printed a
//    stack trace to the console for each value, ENUM/SET label and compressed text in them and
//    handed over bytes; its iconv-lite is given MySQL's tables of them (charset.ts).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { RuntimeError } from "../errors.js";
import { singleByteCharacters } from "../encode/charset.js";
import ZongJi, { GtidSet, MariadbGtidPosition, type TableMapEntry } from "@vlasky/zongji";
import { checkedForAssumedPrecision, describeClassicTemporalTableMaps, type ImageReader } from "./classic-temporal.js";
import { columnReaders, readRowImage, type MapEntry, type ReaderSettings, type RowParser, type ZongjiValueReader } from "./row-image-reader.js";

/** zongji's binlog parser, as far as the table map's metadata fields need it. */
export interface MetadataParser {
  _offset: number;
  parseUnsignedNumber(bytes: number): number;
  parseLengthCodedNumber(): number | null;
}

/** zongji's TableMap event while it is being parsed. */
export interface ParsedTableMap {
  tableId?: number;
  /** zongji's table maps by id, shared by every event of one stream. */
  tableMap?: object;
  columnCount: number;
  columnTypes: number[];
  columnsMetadata: ({ type?: number } | undefined)[];
  _columnCharsetIds?: (number | undefined)[];
}

const DEFAULT_CHARSET = 2;
const COLUMN_CHARSET = 3;
/** VARCHAR, VAR_STRING, STRING, the BLOB types, MariaDB's compressed types, and GEOMETRY. */
const characterTypes = new Set([15, 253, 254, 249, 250, 251, 252, 140, 141, 255]);

/** Positions of the columns the server gives a charset in DEFAULT_CHARSET / COLUMN_CHARSET. */
export function characterColumns(map: ParsedTableMap): number[] {
  const columns: number[] = [];
  for (let i = 0; i < map.columnCount; i++) {
    // ENUM and SET travel as STRING with their real type in the metadata; they have own fields.
    const type = map.columnsMetadata[i]?.type ?? map.columnTypes[i];
    if (type !== undefined && characterTypes.has(type)) columns.push(i);
  }
  return columns;
}

/**
 * Re-reads the optional metadata between `start` (the nullability bitmap) and `end`, and sets
 * the charset id of every character column. Leaves the parser at `end`.
 */
export function realignCharsets(map: ParsedTableMap, parser: MetadataParser, start: number, end: number): void {
  const columns = characterColumns(map);
  const ids = (map._columnCharsetIds ??= new Array<number | undefined>(map.columnCount));
  parser._offset = start + Math.floor((map.columnCount + 7) / 8);
  while (parser._offset < end) {
    const type = parser.parseUnsignedNumber(1);
    const length = parser.parseLengthCodedNumber() ?? 0;
    const bodyEnd = parser._offset + length;
    if (type === DEFAULT_CHARSET) {
      const fallback = parser.parseLengthCodedNumber() ?? undefined;
      for (const column of columns) ids[column] = fallback;
      while (parser._offset < bodyEnd) {
        const position = parser.parseLengthCodedNumber() ?? 0;
        const collation = parser.parseLengthCodedNumber() ?? undefined;
        const column = columns[position];
        if (column !== undefined) ids[column] = collation;
      }
    } else if (type === COLUMN_CHARSET) {
      for (let i = 0; parser._offset < bodyEnd; i++) {
        const collation = parser.parseLengthCodedNumber() ?? undefined;
        const column = columns[i];
        if (column !== undefined) ids[column] = collation;
      }
    }
    parser._offset = bodyEnd;
  }
  parser._offset = end;
}

type ReadOptionalMetadata = (this: ParsedTableMap, parser: MetadataParser, zongji: unknown) => void;

/** Event zongji emits (through this module) for a rows event whose table map it has not seen. */
export const UNMAPPED_ROWS = "dts:unmapped-rows";

export interface UnmappedRows {
  tableId: number;
}

const zongjiEntry = (): string => createRequire(import.meta.url).resolve("@vlasky/zongji");

async function zongjiModule<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(join(dirname(zongjiEntry()), "lib", file)).href)) as T;
}

/** Not retriable: the installed package will not change while the pipeline retries. */
function versionProblem(what: string): RuntimeError {
  return new RuntimeError("unsupported", `@vlasky/zongji no longer has ${what}, so rows could be decoded with the wrong charset or dropped`, {
    hint: "install the zongji version package-lock.json pins (npm ci), or check src/runtime/source/zongji-fixes.ts against the installed version",
  });
}

async function fixCharsets(): Promise<void> {
  const events = await zongjiModule<{ TableMap?: { prototype: { _readOptionalMetadata?: ReadOptionalMetadata } } }>("binlog_event.js");
  const prototype = events.TableMap?.prototype;
  const original = prototype?._readOptionalMetadata;
  if (!prototype || typeof original !== "function") throw versionProblem("TableMap._readOptionalMetadata");
  prototype._readOptionalMetadata = function (this: ParsedTableMap, parser: MetadataParser, zongji: unknown) {
    // Only kept table maps get here: a table id the stream filtered before is mapped again.
    if (this.tableMap && this.tableId !== undefined) unselectedTableIds.get(this.tableMap)?.delete(this.tableId);
    const start = parser._offset;
    original.call(this, parser, zongji);
    realignCharsets(this, parser, start, parser._offset);
  };
}

/** MySQL's single-byte charsets zongji's own iconv-lite has no codec for. */
const CHARSETS_ZONGJI_LACKS = ["dec8", "swe7", "keybcs2", "geostd8", "hp8"];

/** Adds them to zongji's iconv-lite as single-byte codecs (`_sbcs`) of MySQL's characters; encodingExists loads its codec table. */
export function teachZongjiCharsets(): void {
  const iconv = createRequire(zongjiEntry())("iconv-lite") as { encodingExists(name: string): boolean; encodings: Record<string, unknown> | null };
  for (const name of CHARSETS_ZONGJI_LACKS) {
    if (iconv.encodingExists(name)) continue;
    if (!iconv.encodings) throw versionProblem("an iconv-lite with a table of codecs");
    iconv.encodings[name] = { type: "_sbcs", chars: singleByteCharacters(name) };
  }
}

/**
 * zongji's rows event constructor sets `_filtered` when the table map of its table id is
 * unknown; an accessor on the shared prototype sees that assignment and reports it.
 */
async function reportUnmappedRows(): Promise<void> {
  const rows = await zongjiModule<{ WriteRows?: { prototype: object } }>("rows_event.js");
  const base = rows.WriteRows && (Object.getPrototypeOf(rows.WriteRows.prototype) as object | null);
  if (!base) throw versionProblem("the rows event classes");
  onFiltered(base, (event: { tableId: number; tableMap?: object; _zongji?: { emit(name: string, event: UnmappedRows): void } }) => {
    const unselected = event.tableMap !== undefined && unselectedTableIds.get(event.tableMap)?.has(event.tableId) === true;
    if (!unselected) event._zongji?.emit(UNMAPPED_ROWS, { tableId: event.tableId });
  });
}

/**
 * Puts an accessor for `_filtered` on a zongji prototype: the constructor's assignment lands on
 * the instance as a plain property, and `filtered` sees each event marked filtered.
 */
function onFiltered<T extends object>(prototype: object, filtered: (event: T) => void): void {
  Object.defineProperty(prototype, "_filtered", {
    configurable: true,
    get: () => false,
    set(this: T, value: boolean) {
      Object.defineProperty(this, "_filtered", { value, writable: true, configurable: true, enumerable: true });
      if (value) filtered(this);
    },
  });
}

/** Per stream (keyed by zongji's table map object): ids whose latest table map was filtered out. */
const unselectedTableIds = new WeakMap<object, Set<number>>();

/** zongji's TableMap constructor sets `_filtered` when `_skipSchema` refuses the table. */
async function noteUnselectedTableMaps(): Promise<void> {
  const events = await zongjiModule<{ TableMap?: { prototype: object } }>("binlog_event.js");
  if (!events.TableMap) throw versionProblem("TableMap");
  onFiltered(events.TableMap.prototype, (tableMap: ParsedTableMap) => {
    if (!tableMap.tableMap || tableMap.tableId === undefined) return;
    let ids = unselectedTableIds.get(tableMap.tableMap);
    if (!ids) unselectedTableIds.set(tableMap.tableMap, (ids = new Set()));
    ids.add(tableMap.tableId);
  });
}

/**
 * Has zongji keep only the table maps of tables the pipeline selects. Without FULL row
 * metadata zongji asks information_schema about every table map it keeps, so an unselected
 * table that was dropped (or that the account may not read) would stop the stream; the rows
 * of unselected tables are never sent anyway.
 */
export function selectTables(zongji: object, selects: (database: string, table: string) => boolean): void {
  const target = zongji as { _skipSchema?: unknown };
  if (typeof target._skipSchema !== "function") throw versionProblem("_skipSchema");
  target._skipSchema = (database: string, table: string) => !selects(database, table);
}

/** zongji's rows events while they are parsed, as far as reading their row images needs. */
interface ParsedRowsEvent {
  tableId: number;
  tableMap: Record<number, MapEntry & TableMapEntry>;
  columns_present_bitmap: Buffer;
  columns_present_bitmap2?: Buffer;
  _zongji: { connection?: { config?: Partial<ReaderSettings> } };
  /** This event's row image reader, looked up at its first row. */
  _image?: ImageReader;
}

type ImageParser = Parameters<ImageReader>[0];

/** Row image readers by zongji's column list of a table map entry (a new list whenever zongji describes the table again). */
const imageReadersOf = new WeakMap<MapEntry["columns"], ImageReader>();

const SET_TYPE = 248;

/** zongji's value reader, but a SET holding only the label '' reads as `,` (zongji's join before it drops the last comma), not '', losing its bit (set-text.ts). */
export function keepingEmptySetLabel(read: ZongjiValueReader): ZongjiValueReader {
  return (parser, column, schema, entry, zongji) => {
    if (column.type !== SET_TYPE) return read(parser, column, schema, entry, zongji);
    const start = parser._offset;
    const value = read(parser, column, schema, entry, zongji);
    return value === "" && parser._buffer.subarray(start, parser._offset).some((byte) => byte !== 0) ? "," : value;
  };
}

/** Rows events read their row images with row-image-reader.ts instead of zongji's generic reader. */
async function readRowImagesOurselves(): Promise<void> {
  const rows = await zongjiModule<{ WriteRows?: { prototype: object }; UpdateRows?: { prototype: object } }>("rows_event.js");
  const common = await zongjiModule<{ readMysqlValue?: ZongjiValueReader }>("common.js");
  const base = rows.WriteRows && (Object.getPrototypeOf(rows.WriteRows.prototype) as { _fetchOneRow?: unknown } | null);
  const update = rows.UpdateRows?.prototype as { _fetchOneRow?: unknown } | undefined;
  const zongjiRead = common.readMysqlValue && keepingEmptySetLabel(common.readMysqlValue);
  if (!base || typeof base._fetchOneRow !== "function" || !update || typeof update._fetchOneRow !== "function" || !zongjiRead) throw versionProblem("the rows event reader");
  const imageReader = (event: ParsedRowsEvent): ImageReader => {
    const entry = event.tableMap[event.tableId] as MapEntry & TableMapEntry;
    let found = imageReadersOf.get(entry.columns);
    if (!found) {
      const config = event._zongji.connection?.config ?? {};
      const columns = columnReaders(entry, { dateStrings: config.dateStrings, timezone: config.timezone, decimalNumbers: config.decimalNumbers }, zongjiRead, event._zongji);
      found = checkedForAssumedPrecision(entry, (parser, present) => readRowImage(parser, columns, present));
      imageReadersOf.set(entry.columns, found);
    }
    return found;
  };
  base._fetchOneRow = function (this: ParsedRowsEvent, parser: ImageParser) {
    return (this._image ??= imageReader(this))(parser, this.columns_present_bitmap);
  };
  update._fetchOneRow = function (this: ParsedRowsEvent, parser: ImageParser) {
    const read = (this._image ??= imageReader(this));
    return { before: read(parser, this.columns_present_bitmap), after: read(parser, this.columns_present_bitmap2 as Buffer) };
  };
}

/** zongji's table description fetch, for FULL table maps with classic temporal codes (classic-temporal.ts). */
async function describeFromFullMetadata(): Promise<void> {
  if (!describeClassicTemporalTableMaps(ZongJi.prototype)) throw versionProblem("_fetchTableInfo");
}

let installed: Promise<void> | null = null;

/** Applies the corrections; call before the first zongji stream starts. */
export function installZongjiFixes(): Promise<void> {
  installed ??= Promise.all([Promise.resolve().then(teachZongjiCharsets), fixCharsets(), reportUnmappedRows(), noteUnselectedTableMaps(), readRowImagesOurselves(), describeFromFullMetadata()]).then(() => undefined);
  return installed;
}

/**
 * Counts the GTID of a MariaDB standalone event group (a DDL or another statement logged without
 * BEGIN) as executed at its statement. zongji adds it only when the next group begins, so a
 * checkpoint taken after such a statement paired its offset with the GTID position before it,
 * which BINLOG_GTID_POS at that offset contradicts (gtid-position.ts). Returns false (no longer
 * standalone) for the caller's flag.
 */
export function foldStandaloneGtid(zongji: object): false {
  const target = zongji as { _pendingGtid?: unknown; _executedGtids?: { add(gtid: unknown): void } | null };
  if (!("_pendingGtid" in target)) throw versionProblem("_pendingGtid");
  if (target._pendingGtid !== undefined && target._executedGtids) target._executedGtids.add(target._pendingGtid);
  target._pendingGtid = undefined;
  return false;
}

/**
 * Seeds zongji's executed-GTID tracking for a stream that opens by file and offset in the
 * middle of a binlog file, where zongji has no seed and would report no GTID set until the next
 * file. `position` is the server's GTID state at the start (MariaDB's BINLOG_GTID_POS, or MySQL's
 * Executed_Gtid_Set read with the position). Called
 * in zongji's "ready" handler, after start() reset the tracking and before the first event.
 */
export function seedGtidTracking(zongji: object, position: string): void {
  const target = zongji as { _executedGtids?: unknown };
  if (!("_executedGtids" in target)) throw versionProblem("_executedGtids");
  if (target._executedGtids === null) target._executedGtids = position.includes(":") ? GtidSet.parse(position) : MariadbGtidPosition.parse(position);
}
