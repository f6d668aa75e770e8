// A strict reader of the CREATE TABLE a test case states, so no server is needed: the columns in
// order with their types, the primary key and the unique keys, in the TableInfo shape
// table-schema.ts builds from information_schema. What it does not know is an error with its
// place, never a guess: a wrong description would make the test pass for the wrong reason.
import { serverPrimaryKey, type ColumnInfo, type IndexPart, type TableInfo } from "../runtime/index.js";
import { readColumnDefinition, type ColumnDefinition } from "./column-type.js";
import { SqlCursor, SqlError, sqlTokens, type SqlToken } from "./sql-tokens.js";

export { SqlError } from "./sql-tokens.js";

const tableOptions = ["ENGINE", "AUTO_INCREMENT", "COLLATE", "COMMENT", "ROW_FORMAT", "AVG_ROW_LENGTH", "KEY_BLOCK_SIZE", "STATS_PERSISTENT", "PAGE_CHECKSUM", "TRANSACTIONAL"];

interface KeyPart {
  column: string;
  prefix: boolean;
}

interface UniqueKey {
  name: string;
  parts: KeyPart[];
}

interface Keys {
  primaryKey: KeyPart[];
  /** Table-level unique keys, and (as numbers) the column definitions, in the statement's order. */
  declared: (UniqueKey | number)[];
}

function keyColumns(cursor: SqlCursor): KeyPart[] {
  cursor.expect("(", "'(' and the key's columns");
  const parts: KeyPart[] = [];
  do {
    const column = cursor.name("a column name").text;
    const prefix = cursor.accept("(");
    if (prefix) cursor.skipClause(), cursor.expect(")");
    parts.push({ column, prefix });
    cursor.accept("ASC") || cursor.accept("DESC");
  } while (cursor.accept(","));
  cursor.expect(")");
  return parts;
}

/** A table-level definition that is not a column: keys count, other indexes and checks are skipped. */
function readConstraint(cursor: SqlCursor, keys: Keys): boolean {
  const named = cursor.accept("CONSTRAINT");
  if (named && !["PRIMARY", "UNIQUE", "FOREIGN", "CHECK"].includes(cursor.peek()?.text.toUpperCase() ?? "")) cursor.name("a constraint name");
  if (cursor.accept("PRIMARY", "KEY")) {
    keys.primaryKey = keyColumns(cursor);
    return true;
  }
  if (cursor.accept("UNIQUE")) {
    if (!cursor.accept("KEY")) cursor.accept("INDEX");
    const name = cursor.peek()?.text === "(" ? null : cursor.name("the key's name").text;
    const parts = keyColumns(cursor);
    keys.declared.push({ name: name ?? (parts[0] as KeyPart).column, parts });
    return true;
  }
  const other = ["KEY", "INDEX", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK", "PERIOD"].some((w) => cursor.accept(w));
  if (other || named) cursor.skipClause();
  return other || named;
}

function readOptions(cursor: SqlCursor): string | null {
  let charset: string | null = null;
  while (!cursor.done && !cursor.accept(";")) {
    cursor.accept(",");
    cursor.accept("DEFAULT");
    if (cursor.accept("CHARACTER", "SET") || cursor.accept("CHARSET")) {
      cursor.accept("=");
      charset = cursor.name("a character set").text.toLowerCase();
    } else if (tableOptions.some((o) => cursor.accept(o))) {
      cursor.accept("=");
      cursor.next();
    } else {
      throw cursor.unexpected("a table option (ENGINE, DEFAULT CHARSET, COLLATE, COMMENT, ...)");
    }
  }
  if (!cursor.done) throw cursor.unexpected("the end of the statement");
  return charset;
}

/** The table name, possibly qualified; the statement's own name must match the case's. */
function readHeader(cursor: SqlCursor, table: string): void {
  cursor.expect("CREATE", "CREATE TABLE");
  cursor.accept("OR", "REPLACE");
  cursor.accept("TEMPORARY");
  cursor.expect("TABLE", "TABLE");
  cursor.accept("IF", "NOT", "EXISTS");
  let name = cursor.name("the table's name");
  if (cursor.accept(".")) name = cursor.name("the table's name");
  if (name.text !== table) throw new SqlError(`this statement creates ${name.text}, but the block describes ${table}`, name.start, name.end);
}

/**
 * The table a CREATE TABLE statement describes (in `database`). The table's default character
 * set, when the statement does not give one, is utf8mb4. Throws SqlError with offsets into `sql`.
 */
export function readCreateTable(sql: string, database: string, table: string): TableInfo {
  const cursor = new SqlCursor(sqlTokens(sql), sql.length);
  readHeader(cursor, table);
  cursor.expect("(", "'(' and the column definitions");
  const keys: Keys = { primaryKey: [], declared: [] };
  const definitions: { name: string; tokens: SqlToken[] }[] = [];
  const seen = new Set<string>();
  do {
    if (readConstraint(cursor, keys)) continue;
    const name = cursor.name("a column name or a key");
    if (seen.has(name.text.toLowerCase())) throw new SqlError(`column ${name.text} is defined twice`, name.start, name.end);
    seen.add(name.text.toLowerCase());
    keys.declared.push(definitions.length);
    // The table's default charset comes after the columns: each definition is read once it is known.
    definitions.push({ name: name.text, tokens: cursor.clause() });
  } while (cursor.accept(","));
  cursor.expect(")", "',' or ')'");
  const charset = readOptions(cursor) ?? "utf8mb4";
  return tableFrom(database, table, definitions.map((d) => readColumn(d.tokens, d.name, charset, sql.length)), keys);
}

function readColumn(tokens: SqlToken[], name: string, charset: string, textLength: number): ColumnDefinition {
  const cursor = new SqlCursor(tokens, tokens[tokens.length - 1]?.end ?? textLength);
  const definition = readColumnDefinition(cursor, name, charset);
  if (!cursor.done) throw cursor.unexpected("',' or ')' after the column's definition");
  return definition;
}

/** Types MariaDB keeps a UNIQUE over as a hash of the value (MySQL refuses one without a prefix). */
const hashedTypes = /^(tinytext|text|mediumtext|longtext|tinyblob|blob|mediumblob|longblob|json)$/;

function tableFrom(database: string, table: string, definitions: ColumnDefinition[], keys: Keys): TableInfo {
  if (definitions.length === 0) throw new SqlError("the table has no columns", 0, 0);
  const columns = definitions.map((d) => d.column);
  const inlinePrimary = definitions.filter((d) => d.primaryKey).map((d) => ({ column: d.column.name, prefix: false }));
  const primaryParts = keys.primaryKey.length ? keys.primaryKey : inlinePrimary;
  const uniques = keys.declared.flatMap((d) => {
    if (typeof d !== "number") return [d];
    const name = (definitions[d] as ColumnDefinition).column.name;
    return (definitions[d] as ColumnDefinition).unique ? [{ name, parts: [{ column: name, prefix: false }] }] : [];
  });
  const byName = new Map(columns.map((c) => [c.name, c]));
  for (const part of [...primaryParts, ...uniques.flatMap((u) => u.parts)]) {
    if (!byName.has(part.column)) throw new SqlError(`a key names column ${part.column}, which the table does not have`, 0, 0);
  }
  // The server's primary key, by the server's rule, as a running pipeline loads it.
  const parts = [{ name: "PRIMARY", parts: primaryParts }, ...uniques].flatMap((key) =>
    key.parts.map((part): IndexPart => {
      const column = byName.get(part.column) as ColumnInfo;
      return { index: key.name, unique: true, column: part.column, nullable: column.nullable, whole: !part.prefix && !hashedTypes.test(column.dataType) };
    }),
  );
  const primaryKey = serverPrimaryKey(parts);
  const uniqueKeys: TableInfo["uniqueKeys"] = Object.create(null);
  for (const key of uniques) uniqueKeys[key.name] = key.parts.map((p) => p.column);
  // Key columns are NOT NULL, as the server makes them.
  const keyed = columns.map((c) => (primaryKey.includes(c.name) ? { ...c, nullable: false } : c));
  return { database, table, columns: keyed, primaryKey, uniqueKeys };
}
