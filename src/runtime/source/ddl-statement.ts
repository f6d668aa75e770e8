// Recognises DDL among binlog QUERY events and finds the table it is about, so DDL can be
// selected like rows and table metadata reloaded after ALTER/RENAME/DROP.

export interface DdlTarget {
  /** Database named in the statement, else the session's default database. */
  database: string;
  /** The table the statement is about; "" for database-level statements. */
  table: string;
  /** Further tables a RENAME or multi-table DROP touches (their metadata must be reloaded). */
  others: { database: string; table: string }[];
}

const comment = /\/\*(?!!)[\s\S]*?\*\/|^\s*(?:--|#)[^\n]*\n/g;
const name = "(?:`((?:[^`]|``)+)`|([A-Za-z0-9_$\\u0080-\\uffff]+))";
const qualified = `${name}(?:\\s*\\.\\s*${name})?`;

function stripComments(sql: string): string {
  // Keep the text of version comments (/*!50100 ... */): MySQL executes them.
  return sql.replace(comment, " ").replace(/\/\*!\d*\s*([\s\S]*?)\*\//g, "$1").trim();
}

function unquote(quoted: string | undefined, bare: string | undefined): string {
  return quoted !== undefined ? quoted.replace(/``/g, "`") : (bare ?? "");
}

/** True for statements that change schema objects (not users, roles, or transaction control). */
export function isDdl(sql: string): boolean {
  const text = stripComments(sql);
  if (!/^(create|alter|drop|rename|truncate)\b/i.test(text)) return false;
  return !/^(create|alter|drop|rename)\s+(user|role)\b/i.test(text) && !/^(create|drop)\s+(server|logfile|tablespace)\b/i.test(text);
}

function tableAt(text: string, prefix: string, defaultDatabase: string): { database: string; table: string } | null {
  const match = new RegExp(`^${prefix}\\s*${qualified}`, "iu").exec(text);
  if (!match) return null;
  const first = unquote(match[1], match[2]);
  const second = match[3] !== undefined || match[4] !== undefined ? unquote(match[3], match[4]) : null;
  return second === null ? { database: defaultDatabase, table: first } : { database: first, table: second };
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
    const others: { database: string; table: string }[] = [];
    if (/^rename\s+table/i.test(text)) {
      for (const m of text.matchAll(new RegExp(`\\bto\\s+${qualified}`, "giu"))) {
        const a = unquote(m[1], m[2]);
        const b = m[3] !== undefined || m[4] !== undefined ? unquote(m[3], m[4]) : null;
        others.push(b === null ? { database: defaultDatabase, table: a } : { database: a, table: b });
      }
    }
    return { ...found, others };
  }
  return none;
}
