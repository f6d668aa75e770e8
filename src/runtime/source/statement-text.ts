// A statement's text as the server runs it, for the patterns of ddl-statement.ts and its
// neighbours: comments out, the content of the versioned comments the server runs in, and a
// MariaDB `SET STATEMENT var=value, … FOR` prefix off (it only sets variables for the statement
// it wraps). Tools write all of these: migration headers of `--` or `#` lines, mysqldump's
// `/*!50100 … */`, MariaDB's `/*M!100300 … */`, online migrations under `SET STATEMENT
// lock_wait_timeout=5 FOR`. Quoted text passes whole, so a `--` or `/*` inside a string or a
// backquoted name stays text. The server's lexer (sql_lex.cc) is the model.
import { anyServer, runsVersionedComment, type StatementDialect } from "./statement-dialect.js";

/** The statement `sql` is, as `dialect`'s server reads it; trimmed. */
export function statementText(sql: string, dialect: StatementDialect = anyServer): string {
  let text = withoutComments(sql, dialect).trim();
  let inner = settingsPrefixEnd(text);
  while (inner !== null) {
    text = text.slice(inner).trim();
    inner = settingsPrefixEnd(text);
  }
  return text;
}

const isQuote = (c: string | undefined) => c === "'" || c === '"' || c === "`";
/** Within quoted text, what may end it: its quote, or (but in backquotes) a backslash escape. */
const quoteEnds: Record<string, RegExp> = { "'": /\\[\s\S]|'/g, '"': /\\[\s\S]|"/g, "`": /`/g };

/** Where the quoted text opened at `at` ends: after its closing quote (a doubled one is text), or at the end of `sql`. */
export function afterQuoted(sql: string, at: number): number {
  const quote = sql[at] as string;
  const end = quoteEnds[quote] as RegExp;
  end.lastIndex = at + 1;
  for (let found = end.exec(sql); found; found = end.exec(sql)) {
    if (found[0] !== quote) continue;
    if (sql[end.lastIndex] !== quote) return end.lastIndex;
    end.lastIndex++;
  }
  return sql.length;
}

const commentMarks = /\/\*|\*\//g;

/** Where the comment opened at `at` ends: after its closing mark, with `nested` levels of comments allowed inside. */
function afterBlockComment(sql: string, at: number, nested: number): number {
  let depth = 0;
  commentMarks.lastIndex = at + 2;
  for (let found = commentMarks.exec(sql); found; found = commentMarks.exec(sql)) {
    if (found[0] === "/*") depth = Math.min(depth + 1, nested);
    else if (depth === 0) return commentMarks.lastIndex;
    else depth--;
  }
  return sql.length;
}

const versionDigits = /\d{5}\d?/y;

/** A versioned comment at `at` (`/*!` or `/*M!`): where its content starts when the server runs it, else null. */
function runContentStart(sql: string, at: number, dialect: StatementDialect): number | null {
  const mariaDbOnly = sql.startsWith("/*M!", at);
  const marker = at + (mariaDbOnly ? 4 : 3);
  versionDigits.lastIndex = marker;
  const digits = versionDigits.exec(sql)?.[0];
  const version = digits === undefined ? null : Number(digits);
  return runsVersionedComment(dialect, mariaDbOnly, version) ? marker + (digits?.length ?? 0) : null;
}

/** What may open or close a comment or quoted text: the scan jumps from one to the next, as a statement may be megabytes. */
const special = /['"`#]|--|\/\*|\*\//g;

/** Each comment becomes one space, as it separates words for the server too; a run versioned comment becomes its content. */
function withoutComments(sql: string, dialect: StatementDialect): string {
  let out = "";
  let copied = 0;
  let inRunComment = false;
  const drop = (from: number, to: number) => {
    out += `${sql.slice(copied, from)} `;
    copied = to;
    return to;
  };
  for (let i = 0; ; ) {
    special.lastIndex = i;
    const found = special.exec(sql);
    if (!found) break;
    const at = found.index;
    const mark = found[0];
    if (isQuote(mark)) i = afterQuoted(sql, at);
    // `--` opens a comment only before a space or a control character: `a--1` is arithmetic.
    else if (mark === "#" || (mark === "--" && (sql.charCodeAt(at + 2) <= 0x20 || at + 2 === sql.length))) {
      const end = sql.indexOf("\n", at);
      i = drop(at, end === -1 ? sql.length : end);
    } else if (mark === "/*") {
      // Inside a run comment another versioned comment is a plain one, as the server reads it.
      const versioned = !inRunComment && (sql[at + 2] === "!" || (dialect.isMariaDb && sql.startsWith("/*M!", at)));
      const content = versioned ? runContentStart(sql, at, dialect) : null;
      if (content !== null) inRunComment = true;
      // A skipped versioned comment may hold one plain comment; a plain one holds none.
      i = drop(at, content ?? afterBlockComment(sql, at, versioned ? 1 : 0));
    } else if (mark === "*/" && inRunComment) {
      inRunComment = false;
      i = drop(at, at + 2);
    } else i = at + 1;
  }
  return out + sql.slice(copied);
}

const settingsPrefix = /^set\s+statement\s/i;
const identifierChar = /[\w$\u0080-\uffff]/u;

/** The word FOR at `at`, not part of a longer name (foreign_key_checks). */
function isWordFor(text: string, at: number): boolean {
  return text.slice(at, at + 3).toLowerCase() === "for" && !identifierChar.test(text[at - 1] ?? "") && !identifierChar.test(text[at + 3] ?? "");
}

/** After `SET STATEMENT var=value, … FOR`: where the statement it wraps starts; null for any other text. */
function settingsPrefixEnd(text: string): number | null {
  if (!settingsPrefix.test(text)) return null;
  let depth = 0;
  for (let i = "set statement".length; i < text.length; ) {
    const c = text[i] as string;
    if (isQuote(c)) i = afterQuoted(text, i);
    else {
      if (c === "(") depth++;
      else if (c === ")") depth--;
      // A value may be an expression, and SUBSTRING(s FROM 1 FOR 2) has a FOR of its own.
      else if (depth === 0 && isWordFor(text, i)) return i + 3;
      i++;
    }
  }
  return null;
}
