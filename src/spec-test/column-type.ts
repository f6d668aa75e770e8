// One column definition of a CREATE TABLE (`total DECIMAL(10,2) NOT NULL DEFAULT 0`) → the
// ColumnInfo information_schema would give the runtime for it, built with the runtime's own
// columnInfoFrom so a test sees the same description a running pipeline loads.
import { blobLength, columnInfoFrom, integerPrecision, parseLabels, type ColumnInfo } from "../runtime/index.js";
import { SqlError, type SqlCursor, type SqlToken } from "./sql-tokens.js";

/** Aliases MySQL and MariaDB accept, and the type information_schema reports for them. */
const aliases: Record<string, string> = { bool: "tinyint", boolean: "tinyint", dec: "decimal", fixed: "decimal", integer: "int", numeric: "decimal", real: "double" };
const geometryTypes = ["geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection"];
const supported = new Set([
  "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double", "bit", "date", "datetime", "timestamp", "time", "year",
  "char", "varchar", "binary", "varbinary", "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob",
  "json", "enum", "set", "uuid", "inet4", "inet6", ...geometryTypes,
]);
const textTypes = /^(char|varchar|tinytext|text|mediumtext|longtext|enum|set)$/;

export interface ColumnDefinition {
  column: ColumnInfo;
  primaryKey: boolean;
  unique: boolean;
}

interface TypeSpec {
  dataType: string;
  args: string[];
  labels: string[] | null;
  unsigned: boolean;
  zerofill: boolean;
  charset: string | null;
}

function typeArguments(cursor: SqlCursor, dataType: string): { args: string[]; labels: string[] | null } {
  if (!cursor.accept("(")) return { args: [], labels: null };
  const args: string[] = [];
  const enumLike = dataType === "enum" || dataType === "set";
  do {
    const token = cursor.next();
    if (enumLike ? token.kind !== "string" : token.kind !== "number") throw new SqlError(`${dataType.toUpperCase()} takes ${enumLike ? "quoted labels" : "numbers"} in its parentheses`, token.start, token.end);
    args.push(token.text);
  } while (cursor.accept(","));
  cursor.expect(")");
  return { args: enumLike ? [] : args, labels: enumLike ? args : null };
}

function readType(cursor: SqlCursor, tableCharset: string): TypeSpec {
  const word = cursor.name("a column type");
  let dataType = word.text.toLowerCase();
  if (dataType === "double") cursor.accept("PRECISION");
  if (dataType === "character" && cursor.accept("VARYING")) dataType = "varchar";
  dataType = aliases[dataType] ?? dataType;
  if (!supported.has(dataType)) throw new SqlError(`column type ${word.text} is not supported by dts test`, word.start, word.end);
  const { args, labels } = typeArguments(cursor, dataType);
  if ((word.text.toLowerCase() === "bool" || word.text.toLowerCase() === "boolean") && args.length === 0) args.push("1");
  let unsigned = false;
  let zerofill = false;
  let charset: string | null = textTypes.test(dataType) ? tableCharset : null;
  for (;;) {
    if (cursor.accept("UNSIGNED")) unsigned = true;
    else if (cursor.accept("SIGNED")) unsigned = false;
    else if (cursor.accept("ZEROFILL")) zerofill = unsigned = true;
    else if (cursor.accept("CHARACTER", "SET") || cursor.accept("CHARSET")) charset = cursor.name("a character set").text.toLowerCase();
    else if (cursor.accept("COLLATE")) cursor.name("a collation");
    else break;
  }
  return { dataType, args, labels, unsigned, zerofill, charset };
}

const quoteLabel = (label: string) => `'${label.replaceAll("'", "''")}'`;

/** COLUMN_TYPE as information_schema would show it, lower-case, display widths as written. */
function columnTypeText(spec: TypeSpec): string {
  const args = spec.labels ? spec.labels.map(quoteLabel) : spec.args;
  return `${spec.dataType}${args.length ? `(${args.join(",")})` : ""}${spec.unsigned ? " unsigned" : ""}${spec.zerofill ? " zerofill" : ""}`;
}

function numbersFor(spec: TypeSpec): { numericPrecision: number | null; numericScale: number | null; datetimePrecision: number | null; charLength: number | null } {
  const { dataType, args } = spec;
  const first = args[0] === undefined ? null : Number(args[0]);
  const second = args[1] === undefined ? null : Number(args[1]);
  const integer = integerPrecision(dataType, spec.unsigned);
  const numericPrecision = integer !== undefined ? integer : dataType === "decimal" ? (first ?? 10) : dataType === "bit" ? (first ?? 1) : dataType === "float" ? (first ?? 12) : dataType === "double" ? (first ?? 22) : null;
  const numericScale = dataType === "decimal" ? (second ?? 0) : dataType === "float" || dataType === "double" ? second : null;
  const temporal = dataType === "datetime" || dataType === "timestamp" || dataType === "time";
  const labelLength = spec.labels ? (dataType === "enum" ? Math.max(0, ...spec.labels.map((l) => l.length)) : spec.labels.join(",").length) : null;
  const charLength = /^(var)?(char|binary)$/.test(dataType) ? (first ?? 1) : (blobLength(dataType) ?? labelLength);
  return { numericPrecision, numericScale, datetimePrecision: temporal ? (first ?? 0) : null, charLength };
}

/** Sizes the server refuses in a CREATE TABLE (a description it could not hold would test nothing). */
const sizeLimits: Record<string, [min: number, max: number]> = { bit: [1, 64], decimal: [1, 65], char: [0, 255], binary: [0, 255] };

function checkSizes(spec: TypeSpec, word: SqlToken): void {
  const size = spec.args[0] === undefined ? undefined : Number(spec.args[0]);
  const limits = sizeLimits[spec.dataType];
  if (limits && size !== undefined && (size < limits[0] || size > limits[1])) throw new SqlError(`${spec.dataType.toUpperCase()} takes a size from ${limits[0]} to ${limits[1]}`, word.start, word.end);
  const scale = spec.args[1] === undefined ? 0 : Number(spec.args[1]);
  if (spec.dataType === "decimal" && (scale > 38 || scale > (size ?? 10))) throw new SqlError("DECIMAL(p,s) takes a scale s of at most 38 and at most p", word.start, word.end);
  if (spec.dataType === "set" && spec.labels?.some((label) => label.includes(","))) throw new SqlError("SET labels cannot hold a comma", word.start, word.end);
}

function checkType(spec: TypeSpec, word: SqlToken): void {
  checkSizes(spec, word);
  const fsp = spec.args[0] === undefined ? 0 : Number(spec.args[0]);
  if (/^(datetime|timestamp|time)$/.test(spec.dataType) && (fsp > 6 || spec.args.length > 1)) throw new SqlError(`${spec.dataType.toUpperCase()} takes 0 to 6 fractional digits`, word.start, word.end);
  if (spec.dataType === "varchar" && spec.args.length === 0) throw new SqlError("VARCHAR needs a length, e.g. VARCHAR(64)", word.start, word.end);
  if ((spec.dataType === "enum" || spec.dataType === "set") && !spec.labels?.length) throw new SqlError(`${spec.dataType.toUpperCase()} needs its labels, e.g. ENUM('new','paid')`, word.start, word.end);
}

/** Column attributes: only nullability and keys matter to the runtime; the rest is read and skipped. */
function readAttributes(cursor: SqlCursor): { nullable: boolean | null; primaryKey: boolean; unique: boolean } {
  const out = { nullable: null as boolean | null, primaryKey: false, unique: false };
  for (;;) {
    if (cursor.accept("NOT", "NULL")) out.nullable = false;
    else if (cursor.accept("NULL")) out.nullable = true;
    else if (cursor.accept("PRIMARY", "KEY")) out.primaryKey = true;
    else if (cursor.accept("UNIQUE")) out.unique = (cursor.accept("KEY"), true);
    else if (cursor.accept("KEY")) out.primaryKey = true;
    else if (cursor.accept("DEFAULT") || cursor.accept("ON", "UPDATE") || cursor.accept("COMMENT")) skipExpression(cursor);
    else if (cursor.accept("GENERATED", "ALWAYS", "AS") || cursor.accept("AS")) skipExpression(cursor);
    else if (cursor.accept("CONSTRAINT") || cursor.peek()?.text.toUpperCase() === "CHECK") skipCheck(cursor);
    else if (!(cursor.accept("AUTO_INCREMENT") || cursor.accept("VIRTUAL") || cursor.accept("STORED") || cursor.accept("PERSISTENT") || cursor.accept("INVISIBLE") || cursor.accept("VISIBLE") || (cursor.accept("COLLATE") && !!cursor.name("a collation")))) break;
  }
  return out;
}

/**
 * A column's `[CONSTRAINT [name]] CHECK (...)`, after CONSTRAINT: MariaDB prints
 * `CHECK (json_valid(`j`))` for every JSON column. It never changes what the binlog carries.
 */
function skipCheck(cursor: SqlCursor): void {
  if (cursor.peek()?.text.toUpperCase() !== "CHECK") cursor.name("a constraint name");
  cursor.expect("CHECK", "CHECK (...)");
  if (cursor.peek()?.text !== "(") throw cursor.unexpected("'(' and the condition");
  skipExpression(cursor);
}

/** A literal, a word such as CURRENT_TIMESTAMP with optional (n), or a parenthesised expression. */
function skipExpression(cursor: SqlCursor): void {
  const token = cursor.next();
  const opens = token.kind === "punct" && token.text === "(";
  if (token.kind === "punct" && !opens) throw new SqlError(`unexpected '${token.text}'`, token.start, token.end);
  if (!opens && !(token.kind === "word" && cursor.peek()?.text === "(")) return;
  if (!opens) cursor.next();
  let depth = 1;
  while (depth > 0) {
    const t = cursor.next();
    if (t.kind === "punct" && t.text === "(") depth++;
    if (t.kind === "punct" && t.text === ")") depth--;
  }
}

export function readColumnDefinition(cursor: SqlCursor, name: string, tableCharset: string): ColumnDefinition {
  const typeWord = cursor.peek() as SqlToken;
  const spec = readType(cursor, tableCharset);
  checkType(spec, typeWord);
  const attributes = readAttributes(cursor);
  const numbers = numbersFor(spec);
  const column = columnInfoFrom({
    name,
    columnType: columnTypeText(spec),
    dataType: spec.dataType,
    nullable: attributes.primaryKey || attributes.nullable === false ? "NO" : "YES",
    charset: spec.charset,
    ...numbers,
  });
  // columnInfoFrom reads labels back from the type text; they are the ones written.
  if (spec.labels && JSON.stringify(parseLabels(column.columnType)) !== JSON.stringify(spec.labels)) column.labels = spec.labels;
  return { column, primaryKey: attributes.primaryKey, unique: attributes.unique };
}
