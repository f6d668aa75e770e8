// `table "shop.orders" { create = "CREATE TABLE ..." }` → TableInfo. The statement may be one
// string or a list of strings (its lines), so a long CREATE TABLE reads as it would in SQL; a
// problem inside it points at the exact place in the test file.
import { Body, type Block, type DiagnosticBag, type ParsedFile, type Span, type StringValue } from "../compiler/index.js";
import type { TableInfo } from "../runtime/index.js";
import { readCreateTable, SqlError } from "./create-table.js";

/** A string of the statement and where its text starts in the joined SQL. */
interface Piece {
  value: StringValue;
  at: number;
}

/** The file span of SQL offsets [start, end): exact when the string has no escapes, else the whole string. */
function spanOf(pieces: Piece[], start: number, end: number, parsed: ParsedFile): Span {
  const piece = [...pieces].reverse().find((p) => p.at <= start) ?? (pieces[0] as Piece);
  const { value } = piece;
  const inner = parsed.source.text.slice(value.span.offset + 1, value.span.endOffset - 1);
  if (inner !== value.value) return value.span;
  const from = Math.min(start - piece.at, inner.length);
  const to = Math.min(Math.max(end - piece.at, from + 1), inner.length);
  return parsed.source.span(value.span.offset + 1 + from, value.span.offset + 1 + to);
}

/** "db.table" → its parts; the first dot separates them. */
export function tableName(label: StringValue, bag: DiagnosticBag, what: string): { database: string; table: string } | null {
  const dot = label.value.indexOf(".");
  if (dot > 0 && dot < label.value.length - 1) return { database: label.value.slice(0, dot), table: label.value.slice(dot + 1) };
  bag.report("badLabel", label.span, `${what} names its table as "database.table"; got ${JSON.stringify(label.value)}`, `e.g. ${what.split(" ")[0]} "shop.orders" { ... }`);
  return null;
}

function statementPieces(block: Block, bag: DiagnosticBag): Piece[] | null {
  const body = new Body(block.items, { owner: "a table block", attributes: ["create"] }, bag);
  const create = body.attribute("create");
  if (!create) {
    bag.report("missingAttribute", block.span, "the table block needs create", 'add create = "CREATE TABLE orders (id BIGINT PRIMARY KEY, ...)" (a string, or a list of strings read as its lines)');
    return null;
  }
  const values = create.value.kind === "list" ? create.value.items : [create.value];
  if (values.length === 0 || values.some((v) => v.kind !== "string")) {
    bag.report("wrongType", create.value.span, "create takes the CREATE TABLE statement as a string, or a list of strings read as its lines");
    return null;
  }
  let at = 0;
  return (values as StringValue[]).map((value) => {
    const piece = { value, at };
    at += value.value.length + 1;
    return piece;
  });
}

export function analyzeTable(block: Block, parsed: ParsedFile, bag: DiagnosticBag): TableInfo | null {
  const label = block.labels[0];
  if (block.labels.length !== 1 || label?.kind !== "string") {
    bag.report("badLabel", block.type.span, 'a table block takes one label, its "database.table"', 'e.g. table "shop.orders" { create = "CREATE TABLE orders (...)" }');
    return null;
  }
  const name = tableName(label, bag, "a table block");
  const pieces = statementPieces(block, bag);
  if (!name || !pieces) return null;
  const sql = pieces.map((p) => p.value.value).join("\n");
  try {
    return readCreateTable(sql, name.database, name.table);
  } catch (error) {
    if (!(error instanceof SqlError)) throw error;
    bag.report("wrongType", spanOf(pieces, error.start, error.end, parsed), `CREATE TABLE: ${error.message}`, "dts test reads column definitions, PRIMARY KEY and UNIQUE keys; see docs/testing-specs.md");
    return null;
  }
}
