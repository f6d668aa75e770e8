// Recognises DDL among binlog QUERY events and finds the table it is about, so DDL can be
// selected like rows and table metadata reloaded after ALTER/RENAME/DROP.

export interface DdlTarget {
  /** Database named in the statement, else the session's default database. */
  database: string;
  /** The table the statement is about; "" for database-level statements. */
  table: string;
  /** Further tables a RENAME or multi-table DROP touches (their metadata must be reloaded). */
  others: TableName[];
}

export interface TableName {
  database: string;
  table: string;
}

const comment = /\/\*(?!!)[\s\S]*?\*\/|^\s*(?:--|#)[^\n]*\n/g;
const name = "(?:`((?:[^`]|``)+)`|([A-Za-z0-9_$\\u0080-\\uffff]+))";
/** A possibly database-qualified name: groups 1|2 the first part, 3|4 the second. */
export const qualified = `${name}(?:\\s*\\.\\s*${name})?`;

export function stripComments(sql: string): string {
  // Keep the text of version comments (/*!50100 ... */): MySQL executes them.
  return sql.replace(comment, " ").replace(/\/\*!\d*\s*([\s\S]*?)\*\//g, "$1").trim();
}

function unquote(quoted: string | undefined, bare: string | undefined): string {
  return quoted !== undefined ? quoted.replace(/``/g, "`") : (bare ?? "");
}

/** The name a `qualified` match starting at group `at` stands for. */
export function qualifiedName(match: RegExpExecArray | RegExpMatchArray, defaultDatabase: string, at = 1): TableName {
  const first = unquote(match[at], match[at + 1]);
  const second = match[at + 2] !== undefined || match[at + 3] !== undefined ? unquote(match[at + 2], match[at + 3]) : null;
  return second === null ? { database: defaultDatabase, table: first } : { database: first, table: second };
}

/** The `from TO to` pairs of a RENAME TABLE statement, in order; [] for any other statement. */
export function renamePairs(sql: string, defaultDatabase: string): { from: TableName; to: TableName }[] {
  const text = stripComments(sql);
  if (!/^rename\s+tables?\s/i.test(text)) return [];
  const pair = new RegExp(`(?:^rename\\s+tables?(?:\\s+if\\s+exists)?|,)\\s*${qualified}\\s+to\\s+${qualified}`, "giu");
  return [...text.matchAll(pair)].map((m) => ({ from: qualifiedName(m, defaultDatabase), to: qualifiedName(m, defaultDatabase, 5) }));
}

/** True for statements that change schema objects (not users, roles, or transaction control). */
export function isDdl(sql: string): boolean {
  const text = stripComments(sql);
  if (!/^(create|alter|drop|rename|truncate)\b/i.test(text)) return false;
  return !/^(create|alter|drop|rename)\s+(user|role)\b/i.test(text) && !/^(create|drop)\s+(server|logfile|tablespace)\b/i.test(text);
}

function tableAt(text: string, prefix: string, defaultDatabase: string): TableName | null {
  const match = new RegExp(`^${prefix}\\s*${qualified}`, "iu").exec(text);
  return match ? qualifiedName(match, defaultDatabase) : null;
}

export function ddlTarget(sql: string, defaultDatabase: string): DdlTarget {
  const text = stripComments(sql);
  const none: DdlTarget = { database: defaultDatabase, table: "", others: [] };
  const database = /^(?:create|alter|drop)\s+(?:database|schema)\s+(?:if\s+(?:not\s+)?exists\s+)?/i.exec(text);
  if (database) {
    const m = new RegExp(`^${name}`, "u").exec(text.slice(database[0].length));
    return m ? { database: unquote(m[1], m[2]), table: "", others: [] } : none;
  }
  const patterns = [
    "(?:create|alter)\\s+(?:online\\s+|offline\\s+)?(?:ignore\\s+)?(?:or\\s+replace\\s+)?(?:temporary\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?",
    "drop\\s+(?:temporary\\s+)?table\\s+(?:if\\s+exists\\s+)?",
    "truncate\\s+(?:table\\s+)?",
    "rename\\s+table\\s+",
    "(?:create|drop)\\s+(?:online\\s+|offline\\s+)?(?:unique\\s+|fulltext\\s+|spatial\\s+)?index\\s+(?:if\\s+(?:not\\s+)?exists\\s+)?\\S+\\s+on\\s+",
  ];
  for (const prefix of patterns) {
    const found = tableAt(text, prefix, defaultDatabase);
    if (!found) continue;
    const others = renamePairs(text, defaultDatabase).flatMap(({ from, to }, i) => (i === 0 ? [to] : [from, to]));
    return { ...found, others };
  }
  return none;
}
