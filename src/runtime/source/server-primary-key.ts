// The primary key as the server itself has it, which is what names a row in every message
// (message key, primary-key-hash partition, canal pkNames, DTS pk_uk_info's PRIMARY). A table
// without a PRIMARY KEY gets one from MariaDB and MySQL alike: the first UNIQUE index, in the
// server's index order, whose columns are all NOT NULL and taken whole (no prefix). DESC shows
// its columns as PRI, and the binlog's table map (binlog_row_metadata=FULL) names it as the
// primary key, so the initial sync must take the same key or a row changes key between its
// INSERT and its UPDATEs. A nullable unique key is never one: any number of rows may hold NULL.

/** One column of an index, in the order SHOW INDEX lists them (the server's index order). */
export interface IndexPart {
  index: string;
  unique: boolean;
  column: string;
  nullable: boolean;
  /**
   * The server counts the part as the whole column: not a prefix and not a hash of it (MariaDB
   * keeps a UNIQUE over TEXT/BLOB, or over strings longer than an index allows, as a hash),
   * except that a prefix as long as a BLOB/TEXT column is whole.
   */
  whole: boolean;
}

/** Column names of the server's primary key; [] when the table has none. */
export function serverPrimaryKey(parts: readonly IndexPart[]): string[] {
  const indexes = new Map<string, IndexPart[]>();
  for (const part of parts) {
    const known = indexes.get(part.index);
    if (known) known.push(part);
    else indexes.set(part.index, [part]);
  }
  const explicit = indexes.get("PRIMARY");
  if (explicit) return explicit.map((p) => p.column);
  for (const index of indexes.values()) {
    if (index.every((p) => p.unique && !p.nullable && p.whole)) return index.map((p) => p.column);
  }
  return [];
}
