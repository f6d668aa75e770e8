// Recognises DDL among binlog QUERY events and finds every table it names, so DDL can be
// selected like rows, table metadata reloaded after ALTER/RENAME/DROP, and canal's DDL type
// told. The one place that knows the statements' grammar (MariaDB's and MySQL's forms). The
// text is read as the server runs it (statement-text.ts), and the names it finds are given as
// the server stores them (statement-dialect.ts), as rows events give them.
import { anyServer, storedName, type StatementDialect } from "./statement-dialect.js";
import { afterQuoted, statementText } from "./statement-text.js";

export interface TableName {
  database: string;
  table: string;
}

/** What a DDL statement does to tables, as far as the pipeline and canal's DDL types care. */
export type DdlKind = "create-table" | "alter-table" | "drop-table" | "rename-table" | "truncate-table" | "create-index" | "drop-index" | "database" | "other";

/**
 * What an ALTER TABLE's partition change does to the other table it names: `exchanged` swaps
 * its rows with a partition's (EXCHANGE PARTITION … WITH TABLE); `consumed` makes it a partition,
 * so the table is gone as after a DROP (MariaDB's CONVERT TABLE … TO PARTITION); `created`
 * makes a partition a new table, as a CREATE would (CONVERT PARTITION … TO TABLE).
 */
export type PartitionRole = "exchanged" | "consumed" | "created";

export interface DdlTable extends TableName {
  /** Set for a table an ALTER TABLE names in a partition change; absent for every other table. */
  role?: PartitionRole;
}

export interface DdlTarget {
  kind: DdlKind;
  /** The database a statement naming no table is about: the one it names, else the session's default. */
  database: string;
  /**
   * Every table the statement names, in its order: both sides of each RENAME pair (of RENAME
   * TABLE and ALTER TABLE … RENAME TO), each table of a multi-table DROP, the other table of an
   * ALTER TABLE's partition change. [] when it names none.
   */
  tables: DdlTable[];
  /**
   * An ALTER TABLE's partition change moves rows in or out of tables, which the binlog logs as
   * the statement alone, no row events: TRUNCATE, DROP, EXCHANGE or CONVERT of a partition.
   */
  movesRows?: boolean;
}
/**
 * One identifier, captured as written: backquoted, double-quoted, or bare. A table-name position
 * takes no string literal, so "x" there is a name (written under sql_mode ANSI_QUOTES).
 */
const name = '(`(?:[^`]|``)+`|"(?:[^"]|"")+"|[A-Za-z0-9_$\\u0080-\\uffff]+)';
/** A possibly database-qualified name: group 1 the first part, 2 the second; read it with `qualifiedName`. */
export const qualified = `${name}(?:\\s*\\.\\s*${name})?`;
/** How many groups `qualified` captures, to number the groups after it. */
const qualifiedGroups = 2;
/** Between a word and the next: a space, or none beside a quote, as the server allows: TABLE`a`TO`b`. */
const gap = '(?:\\s+|(?<=[`"])\\s*|(?=[`"]))';
/** MariaDB lets a statement say how long to wait for the table's metadata lock. */
const lockWait = `(?:${gap}(?:wait\\s+\\d+|nowait))?`;

const alterTable = `^alter\\s+(?:online\\s+|offline\\s+)?(?:ignore\\s+)?table${gap}(?:if\\s+exists${gap})?`;
/** The start of an ALTER TABLE up to its changes; groups 1–2 the table (see `qualified`). */
export const alterTableHead = new RegExp(`${alterTable}${qualified}${lockWait}\\s*`, "iu");

/** Statements about tables: how each begins, up to the first table name. */
const tableStatements: { kind: DdlKind; head: RegExp }[] = [
  { kind: "create-table", head: new RegExp(`^create\\s+(?:or\\s+replace\\s+)?(?:temporary\\s+)?table${gap}(?:if\\s+not\\s+exists${gap})?`, "i") },
  { kind: "alter-table", head: new RegExp(alterTable, "i") },
  { kind: "drop-table", head: new RegExp(`^drop\\s+(?:temporary\\s+)?table${gap}(?:if\\s+exists${gap})?`, "i") },
  { kind: "rename-table", head: new RegExp(`^rename\\s+tables?${gap}(?:if\\s+exists${gap})?`, "i") },
  { kind: "truncate-table", head: new RegExp(`^truncate${gap}(?:table${gap})?`, "i") },
  {
    kind: "create-index",
    head: new RegExp(`^create\\s+(?:or\\s+replace\\s+)?(?:online\\s+|offline\\s+)?(?:unique\\s+|fulltext\\s+|spatial\\s+)?index${gap}(?:if\\s+not\\s+exists${gap})?${name}${gap}(?:using\\s+\\w+\\s+)?on${gap}`, "iu"),
  },
  { kind: "drop-index", head: new RegExp(`^drop\\s+(?:online\\s+|offline\\s+)?index${gap}(?:if\\s+exists${gap})?${name}${gap}on${gap}`, "iu") },
];
const databaseHead = new RegExp(`^(?:create(?:\\s+or\\s+replace)?|alter|drop)\\s+(?:database|schema)\\b\\s*(?:if\\s+(?:not\\s+)?exists${gap})?`, "i");
const databaseName = new RegExp(`^${name}`, "u");
/** Words that begin ALTER DATABASE's options when it names no database (it then alters the default one). */
const databaseOption = /^(?:default|character|charset|collate|comment|upgrade)$/i;

const tableAt = new RegExp(`\\s*${qualified}${lockWait}`, "iuy");
const renamePairAt = new RegExp(`\\s*${qualified}${lockWait}${gap}to${gap}${qualified}`, "iuy");
const listComma = /\s*,/y;
/** An ALTER TABLE change that renames the table (not a column, index or key). */
const alterRename = new RegExp(`^rename${gap}(?:(?:to|as)${gap})?(?!(?:column|index|key)(?:\\s|[\`"]))${qualified}$`, "iu");
/** ALTER TABLE changes that name another table, with the group its name starts at (see `qualified`). */
const partitionChanges: { role: PartitionRole; change: RegExp; at: number }[] = [
  { role: "exchanged", change: new RegExp(`^exchange${gap}partition${gap}${name}${gap}with${gap}table${gap}${qualified}`, "iu"), at: 2 },
  { role: "consumed", change: new RegExp(`^convert${gap}table${gap}${qualified}${gap}to${gap}partition`, "iu"), at: 1 },
  { role: "created", change: new RegExp(`^convert${gap}partition${gap}${name}${gap}to${gap}table${gap}${qualified}`, "iu"), at: 2 },
];

/** An identifier as `name` captured it, without its quotes (a doubled quote inside stands for one). */
function unquote(written: string): string {
  const quote = written[0];
  return quote === "`" || quote === '"' ? written.slice(1, -1).replaceAll(quote + quote, quote) : written;
}

const isQuoted = (written: string) => written[0] === "`" || written[0] === '"';

/** The name a `qualified` match starting at group `at` stands for. */
export function qualifiedName(match: RegExpExecArray | RegExpMatchArray, defaultDatabase: string, at = 1): TableName {
  const first = unquote(match[at] ?? "");
  const second = match[at + 1];
  return second === undefined ? { database: defaultDatabase, table: first } : { database: first, table: unquote(second) };
}

/** The comma-separated items `item` (a sticky pattern) reads from `at` on, in order. */
function listAt(text: string, at: number, item: RegExp): RegExpExecArray[] {
  const items: RegExpExecArray[] = [];
  for (let next = at; ; ) {
    item.lastIndex = next;
    const match = item.exec(text);
    if (!match) return items;
    items.push(match);
    listComma.lastIndex = item.lastIndex;
    if (!listComma.exec(text)) return items;
    next = listComma.lastIndex;
  }
}

/** An ALTER TABLE's changes, split at the commas outside parentheses and quotes. */
function alterChanges(changes: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < changes.length; ) {
    const c = changes[i];
    if (c === "'" || c === '"' || c === "`") {
      i = afterQuoted(changes, i);
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      items.push(changes.slice(start, i).trim());
      start = i + 1;
    }
    i++;
  }
  items.push(changes.slice(start).trim());
  return items;
}

type RenamePair = { from: TableName; to: TableName };

/** Partition changes that move rows without row events (REORGANIZE, COALESCE, ADD … keep them where they are). */
const rowMovingChange = new RegExp(`^(?:(?:truncate|drop|exchange)${gap}partition|convert${gap}(?:partition|table))\\b`, "iu");

/** What an ALTER TABLE's changes name besides its table: new names (RENAME) and partition changes' tables. */
function alterNames(text: string, defaultDatabase: string): { pairs: RenamePair[]; others: DdlTable[]; movesRows: boolean } {
  const head = alterTableHead.exec(text);
  if (!head) return { pairs: [], others: [], movesRows: false };
  const from = qualifiedName(head, defaultDatabase);
  const pairs: RenamePair[] = [];
  const others: DdlTable[] = [];
  let movesRows = false;
  for (const change of alterChanges(text.slice(head[0].length).replace(/\s*;\s*$/, ""))) {
    movesRows ||= rowMovingChange.test(change);
    const rename = alterRename.exec(change);
    if (rename) pairs.push({ from, to: qualifiedName(rename, defaultDatabase) });
    for (const { role, change: pattern, at } of partitionChanges) {
      const found = pattern.exec(change);
      if (found) others.push({ ...qualifiedName(found, defaultDatabase, at), role });
    }
  }
  return { pairs, others, movesRows };
}

type Parsed = DdlTarget & { pairs: RenamePair[] };

function tableStatement(kind: DdlKind, text: string, at: number, defaultDatabase: string): Parsed | null {
  if (kind === "rename-table") {
    const pairs = listAt(text, at, renamePairAt).map((m) => ({ from: qualifiedName(m, defaultDatabase), to: qualifiedName(m, defaultDatabase, 1 + qualifiedGroups) }));
    return pairs.length > 0 ? { kind, database: defaultDatabase, tables: pairs.flatMap(({ from, to }) => [from, to]), pairs } : null;
  }
  const listed = kind === "drop-table" ? listAt(text, at, tableAt) : listAt(text, at, tableAt).slice(0, 1);
  const tables: DdlTable[] = listed.map((m) => qualifiedName(m, defaultDatabase));
  const { pairs, others, movesRows } = kind === "alter-table" ? alterNames(text, defaultDatabase) : { pairs: [], others: [], movesRows: false };
  tables.push(...pairs.map(({ to }) => to), ...others);
  return tables.length > 0 ? { kind, database: defaultDatabase, tables, pairs, ...(movesRows ? { movesRows } : {}) } : null;
}

function parse(sql: string, defaultDatabase: string, dialect: StatementDialect): Parsed {
  const text = statementText(sql, dialect);
  const database = databaseHead.exec(text);
  if (database) {
    const named = databaseName.exec(text.slice(database[0].length))?.[1];
    const isName = named !== undefined && (isQuoted(named) || !databaseOption.test(named));
    return asStored({ kind: "database", database: isName ? unquote(named) : defaultDatabase, tables: [], pairs: [] }, dialect);
  }
  for (const { kind, head } of tableStatements) {
    const found = head.exec(text);
    const parsed = found ? tableStatement(kind, text, found[0].length, defaultDatabase) : null;
    if (parsed) return asStored(parsed, dialect);
  }
  return asStored({ kind: "other", database: defaultDatabase, tables: [], pairs: [] }, dialect);
}

/** The names as the server stores them: what rows events, the catalog and the selection use. */
function asStored(parsed: Parsed, dialect: StatementDialect): Parsed {
  if (!dialect.lowercaseNames) return parsed;
  const stored = <T extends TableName>(name: T): T => ({ ...name, database: storedName(name.database, dialect), table: storedName(name.table, dialect) });
  return { kind: parsed.kind, database: storedName(parsed.database, dialect), tables: parsed.tables.map(stored), pairs: parsed.pairs.map(({ from, to }) => ({ from: stored(from), to: stored(to) })) };
}

/** The `from TO to` pairs of a RENAME TABLE statement, or an ALTER TABLE … RENAME [TO], in order; [] for any other statement. */
export function renamePairs(sql: string, defaultDatabase: string, dialect = anyServer): RenamePair[] {
  return parse(sql, defaultDatabase, dialect).pairs;
}

/** True for statements that change schema objects (not users, roles, or transaction control). */
export function isDdl(sql: string, dialect = anyServer): boolean {
  const text = statementText(sql, dialect);
  if (!/^(create|alter|drop|rename|truncate)\b/i.test(text)) return false;
  // CREATE OR REPLACE USER carries the password as typed (MariaDB logs it so): never DDL.
  return !/^(create(\s+or\s+replace)?|alter|drop|rename)\s+(user|role)\b/i.test(text) && !/^(create(\s+or\s+replace)?|alter|drop)\s+(server|logfile|tablespace)\b/i.test(text);
}

/** What the statement does and every table it names, named as `dialect`'s server stores them. */
export function ddlTarget(sql: string, defaultDatabase: string, dialect = anyServer): DdlTarget {
  const { kind, database, tables, movesRows } = parse(sql, defaultDatabase, dialect);
  return { kind, database, tables, ...(movesRows ? { movesRows } : {}) };
}
