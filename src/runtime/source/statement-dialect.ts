// Where source servers read the text of a statement differently: which versioned comments
// (`/*!50100 … */`, MariaDB's `/*M!100100 … */`) they run, and how they store database and
// table names (lower_case_table_names). The binlog logs a statement as it was typed, while rows
// events name tables as the server stores them; DDL is read through this so that its names
// and its content are the server's.
import { isMariaDbVersion, parseServerVersion } from "./server-dialect.js";

export interface StatementDialect {
  /** MariaDB runs `/*M!` comments; MySQL reads them as comments. */
  isMariaDb: boolean;
  /** The version as versioned comments write it (10.11.6 → 101106); null when unknown. */
  versionId: number | null;
  /**
   * lower_case_table_names is 1 or 2: the server looks names up in lower case, and its rows
   * events name databases and tables so, whatever the statement's spelling.
   */
  lowercaseNames: boolean;
}

/** A server nothing is known of: it runs every versioned comment (a new server is likelier than an old one) and keeps names as written. */
export const anyServer: StatementDialect = { isMariaDb: true, versionId: null, lowercaseNames: false };

/** The dialect of a server from its `@@version` and `@@lower_case_table_names`. */
export function statementDialect(versionText: string, lowerCaseTableNames = "0"): StatementDialect {
  const version = parseServerVersion(versionText);
  return {
    isMariaDb: isMariaDbVersion(versionText),
    versionId: version ? version.major * 10_000 + version.minor * 100 + version.patch : null,
    // 2 keeps the typed case on disk only; lookups, and so rows events, use lower case.
    lowercaseNames: lowerCaseTableNames.trim() !== "" && lowerCaseTableNames.trim() !== "0",
  };
}

/**
 * Whether the server runs a versioned comment: `/*!` (`mariaDbOnly` false) or `/*M!`,
 * of `version` (null when the comment names none: then it always runs, where it runs at all).
 */
export function runsVersionedComment(dialect: StatementDialect, mariaDbOnly: boolean, version: number | null): boolean {
  if (mariaDbOnly && !dialect.isMariaDb) return false;
  if (version === null || dialect.versionId === null) return true;
  if (version > dialect.versionId) return false;
  // MariaDB skips MySQL 5.7+ comments (50700–99999): their syntax may be MySQL's alone.
  return mariaDbOnly || !dialect.isMariaDb || version < 50_700 || version > 99_999;
}

/**
 * A database or table name as the server stores and logs it. The table catalog and the
 * selection compare names with those of rows events, so a name read from statement text goes
 * through this first.
 */
export function storedName(name: string, dialect: StatementDialect): string {
  return dialect.lowercaseNames ? name.toLowerCase() : name;
}
