// Data changes the binlog carries as SQL text instead of rows. The server's binlog_format = ROW
// is only the default: a privileged session may set STATEMENT or MIXED for itself, and MariaDB
// logs the emptying of a MEMORY table at its restart as a DELETE statement. The pipeline cannot
// turn such text into rows, so the stream names the statement's table and warns that those
// changes are not in Kafka (session/statement-warnings.ts) rather than passing over them.
//
// Under ROW a server logs as text only transaction control, DDL, account and privilege changes
// and table maintenance; a statement it logs for its data (STATEMENT, MIXED) is anything else:
// INSERT, UPDATE and the like, LOAD DATA (in an EXECUTE_LOAD_QUERY event), CREATE TABLE …
// SELECT with its rows, and `SELECT db.f(…)` for a SELECT, SET or DO whose stored function
// wrote rows. So every statement not known to change no rows counts as a data change.
import { isDdl, qualified, qualifiedName, type TableName } from "./ddl-statement.js";
import { statementText } from "./statement-text.js";

export interface DmlStatement {
  /** INSERT, REPLACE, UPDATE, DELETE, LOAD DATA, LOAD XML, CREATE TABLE … SELECT, or the first word of another statement (SELECT for a function call). */
  verb: string;
  /** The one table the statement changes; null when it names several, is not understood, or its changes are a stored function's. */
  target: TableName | null;
  /** The stored function whose call the statement is (the server logs `SELECT db.f(args)` for one that wrote rows). */
  calls?: TableName;
}

const insertLike = new RegExp(`^(insert|replace)\\s+(?:(?:low_priority|delayed|high_priority|ignore)\\s+)*(?:into\\s+)?${qualified}`, "iu");
const update = new RegExp(`^update\\s+(?:(?:low_priority|ignore)\\s+)*${qualified}(?:\\s+(?:as\\s+)?\\w+)?\\s*(?<next>,|\\bjoin\\b|\\bstraight_join\\b|\\bset\\b)`, "iu");
const deleteFrom = new RegExp(`^delete\\s+(?:(?:low_priority|quick|ignore)\\s+)*from\\s+${qualified}\\s*(?<next>,|\\busing\\b|\\bjoin\\b|\\bwhere\\b|\\border\\b|\\blimit\\b|\\breturning\\b|$)`, "iu");
const fileName = `(?:'(?:[^'\\\\]|\\\\.|'')*'|"(?:[^"\\\\]|\\\\.|"")*")`;
const loadData = new RegExp(`^load\\s+(data|xml)\\s+(?:(?:low_priority|concurrent|local)\\s+)*infile\\s+(?:_\\w+\\s*)?${fileName}\\s+(?:(?:replace|ignore)\\s+)?into\\s+table\\s+${qualified}`, "iu");
/** Group 1: TEMPORARY, for a temporary table; 2–3: the table (see `qualified`). */
const createTable = new RegExp(`^create\\s+(?:or\\s+replace\\s+)?(temporary\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?${qualified}`, "iu");
/** A query that fills a new table: SELECT (WITH … SELECT too), MySQL's TABLE t and VALUES ROW(…). No column definition or option holds these words. */
const fillingQuery = /\bselect\b|\btable\b|\bvalues\s+row\b/i;
/** How MySQL and MariaDB log the call of a stored function that wrote rows: `SELECT db.f(args)`, the name always qualified. */
const functionCall = new RegExp(`^select\\s+${qualified}\\s*\\(`, "iu");

/**
 * Statements that change no rows, which a server logs as text (or which it might): transaction
 * control (the reader's already), privileges and accounts, table maintenance and flushes.
 * MariaDB's dummy events, comments only, have no first word at all.
 */
const changesNoRows = new RegExp(
  [
    "^(?:grant|revoke|flush|analyze|optimize|repair|check|checksum|install|uninstall|lock|unlock|release|xa|begin|commit|rollback|savepoint)\\b",
    "^(?:create|alter|drop|rename)\\s+(?:or\\s+replace\\s+)?(?:user|role|server|logfile|tablespace|resource\\s+group)\\b",
    "^set\\s+(?:password|(?:default\\s+)?role)\\b",
    "^load\\s+index\\b",
  ].join("|"),
  "i",
);

/** `text` with every quoted string and name blanked, so words inside them are not read as keywords. */
function withoutQuoted(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`/g, (quoted) => " ".repeat(quoted.length));
}

/** INSERT, REPLACE, UPDATE or DELETE with its one table (null when it names several or is not understood). */
function rowStatement(verb: string, text: string, defaultDatabase: string): DmlStatement | null {
  if (verb === "INSERT" || verb === "REPLACE") {
    const match = insertLike.exec(text);
    return { verb, target: match ? qualifiedName(match, defaultDatabase, 2) : null };
  }
  if (verb === "UPDATE") {
    const match = update.exec(text);
    const single = match !== null && /^set$/i.test(match.groups?.next ?? "");
    return { verb, target: single && match ? qualifiedName(match, defaultDatabase) : null };
  }
  if (verb === "DELETE") {
    const match = deleteFrom.exec(text);
    const several = match === null || /^(,|using|join)$/i.test(match.groups?.next ?? "");
    return { verb, target: !several && match ? qualifiedName(match, defaultDatabase) : null };
  }
  return null;
}

/** CREATE TABLE … SELECT (or TABLE, VALUES) of a lasting table: its rows are in the statement; null for any other CREATE TABLE. */
function createTableWithRows(text: string, defaultDatabase: string): DmlStatement | null {
  const head = createTable.exec(text);
  if (!head || head[1] || !fillingQuery.test(withoutQuoted(text.slice(head[0].length)))) return null;
  return { verb: "CREATE TABLE … SELECT", target: qualifiedName(head, defaultDatabase, 2) };
}

/** The statement's verb and table when it changes rows; null for a statement that changes none. */
export function dmlStatement(sql: string, defaultDatabase: string): DmlStatement | null {
  const text = statementText(sql);
  const verb = /^(\w+)/.exec(text)?.[1]?.toUpperCase();
  if (verb === undefined) return null;
  const rows = rowStatement(verb, text, defaultDatabase);
  if (rows) return rows;
  const load = loadData.exec(text);
  if (load) return { verb: `LOAD ${(load[1] as string).toUpperCase()}`, target: qualifiedName(load, defaultDatabase, 2) };
  const created = createTableWithRows(text, defaultDatabase);
  if (created) return created;
  if (isDdl(text) || changesNoRows.test(text)) return null;
  const call = functionCall.exec(text);
  if (call?.[2] !== undefined) return { verb, target: null, calls: qualifiedName(call, defaultDatabase) };
  return { verb, target: null };
}

const EXECUTE_LOAD_QUERY_EVENT = 18;
const HEADER_LENGTH = 19;
/** QUERY_EVENT's post-header (thread, time, database length, error, status length) and EXECUTE_LOAD_QUERY's (file id, name span, duplicates). */
const POST_HEADER_LENGTH = 13 + 13;

/**
 * The LOAD DATA statement of an EXECUTE_LOAD_QUERY event (header and body, no checksum), which
 * a server logs for LOAD DATA under STATEMENT, and the session's database; null for any other
 * event. The body is a QUERY_EVENT's with a longer post-header.
 */
export function loadDataEvent(event: Buffer): { sql: string; database: string } | null {
  if (event[4] !== EXECUTE_LOAD_QUERY_EVENT || event.length < HEADER_LENGTH + POST_HEADER_LENGTH) return null;
  const databaseLength = event.readUInt8(HEADER_LENGTH + 8);
  const databaseAt = HEADER_LENGTH + POST_HEADER_LENGTH + event.readUInt16LE(HEADER_LENGTH + 11);
  const sqlAt = databaseAt + databaseLength + 1;
  if (sqlAt > event.length) return null;
  return { database: event.toString("utf8", databaseAt, databaseAt + databaseLength), sql: event.toString("utf8", sqlAt) };
}
