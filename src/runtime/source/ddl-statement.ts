// Recognises DDL among binlog QUERY events and finds every table it names, so DDL can be
// selected like rows, table metadata reloaded after ALTER/RENAME/DROP, and canal's DDL type
// told. The one place that knows the statements' grammar (MariaDB's and MySQL's forms).

export interface TableName {
  database: string;
  table: string;
}

/** What a DDL statement does to tables, as far as the pipeline and canal's DDL types care. */
export type DdlKind = "create-table" | "alter-table" | "drop-table" | "rename-table" | "truncate-table" | "create-index" | "drop-index" | "database" | "other";

export interface DdlTarget {
  kind: DdlKind;
  /** The database a statement naming no table is about: the one it names, else the session's default. */
  database: string;
  /**
   * Every table the statement names, in its order: both sides of each RENAME pair (of RENAME
   * TABLE and ALTER TABLE … RENAME TO), each table of a multi-table DROP. [] when it names none.
   */
  tables: TableName[];
}

const comment = /\/\*(?!!)[\s\S]*?\*\/|^\s*(?:--|#)[^\n]*\n/g;
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

export function stripComments(sql: string): string {
  // Keep the text of version comments (/*!50100 ... */): MySQL executes them.
  return sql.replace(comment, " ").replace(/\/\*!\d*\s*([\s\S]*?)\*\//g, "$1").trim();
}

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
  let quote = "";
  let start = 0;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    if (quote !== "") {
      if (c === "\\" && quote !== "`") i++;
      else if (c === quote) quote = "";
    } else if (c === "'" || c === '"' || c === "`") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      items.push(changes.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(changes.slice(start).trim());
  return items;
}

type RenamePair = { from: TableName; to: TableName };

function statementPairs(kind: DdlKind, text: string, at: number, defaultDatabase: string): RenamePair[] {
  if (kind === "rename-table") return listAt(text, at, renamePairAt).map((m) => ({ from: qualifiedName(m, defaultDatabase), to: qualifiedName(m, defaultDatabase, 1 + qualifiedGroups) }));
  const head = kind === "alter-table" ? alterTableHead.exec(text) : null;
  if (!head) return [];
  const from = qualifiedName(head, defaultDatabase);
  return alterChanges(text.slice(head[0].length).replace(/\s*;\s*$/, "")).flatMap((change) => {
    const rename = alterRename.exec(change);
    return rename ? [{ from, to: qualifiedName(rename, defaultDatabase) }] : [];
  });
}

function parse(sql: string, defaultDatabase: string): DdlTarget & { pairs: RenamePair[] } {
  const text = stripComments(sql);
  const database = databaseHead.exec(text);
  if (database) {
    const named = databaseName.exec(text.slice(database[0].length))?.[1];
    const isName = named !== undefined && (isQuoted(named) || !databaseOption.test(named));
    return { kind: "database", database: isName ? unquote(named) : defaultDatabase, tables: [], pairs: [] };
  }
  for (const { kind, head } of tableStatements) {
    const found = head.exec(text);
    if (!found) continue;
    const at = found[0].length;
    const pairs = statementPairs(kind, text, at, defaultDatabase);
    const listed = kind === "drop-table" ? listAt(text, at, tableAt) : listAt(text, at, tableAt).slice(0, 1);
    const tables = kind === "rename-table" ? [] : listed.map((m) => qualifiedName(m, defaultDatabase));
    for (const { from, to } of pairs) tables.push(...(kind === "rename-table" ? [from, to] : [to]));
    if (tables.length > 0) return { kind, database: defaultDatabase, tables, pairs };
  }
  return { kind: "other", database: defaultDatabase, tables: [], pairs: [] };
}

/** The `from TO to` pairs of a RENAME TABLE statement, or an ALTER TABLE … RENAME [TO], in order; [] for any other statement. */
export function renamePairs(sql: string, defaultDatabase: string): RenamePair[] {
  return parse(sql, defaultDatabase).pairs;
}

/** True for statements that change schema objects (not users, roles, or transaction control). */
export function isDdl(sql: string): boolean {
  const text = stripComments(sql);
  if (!/^(create|alter|drop|rename|truncate)\b/i.test(text)) return false;
  // CREATE OR REPLACE USER carries the password as typed (MariaDB logs it so): never DDL.
  return !/^(create(\s+or\s+replace)?|alter|drop|rename)\s+(user|role)\b/i.test(text) && !/^(create(\s+or\s+replace)?|alter|drop)\s+(server|logfile|tablespace)\b/i.test(text);
}

export function ddlTarget(sql: string, defaultDatabase: string): DdlTarget {
  const { kind, database, tables } = parse(sql, defaultDatabase);
  return { kind, database, tables };
}
