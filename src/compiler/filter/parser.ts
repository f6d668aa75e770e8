// A recursive-descent parser for row filters: comparisons, AND/OR/NOT, [NOT] IN, [NOT] BETWEEN,
// [NOT] LIKE, IS [NOT] NULL and parentheses. Every predicate compares one column with literals,
// which is what the runtime can evaluate against a row image. Stops at the first error, which
// carries offsets relative to the filter text.
import type { FilterExpr, FilterLiteral } from "../../generated/plan.js";
import { lexFilter, type FilterToken } from "./lexer.js";

export interface FilterError {
  kind: "syntax" | "unsupported" | "unterminated" | "empty" | "nesting";
  message: string;
  hint?: string;
  start: number;
  end: number;
}

export type FilterParseResult = { ok: true; expr: FilterExpr; columns: string[] } | { ok: false; error: FilterError };

class FilterSyntaxError extends Error {
  constructor(readonly detail: FilterError) {
    super(detail.message);
  }
}

/**
 * NOT and parentheses nest this deep at most. The parser, the runtime's compiled predicate and
 * its evaluation all recurse once per level; real filters use two or three.
 */
export const maxFilterDepth = 64;

const comparison = new Set(["=", "!=", "<>", "<", "<=", ">", ">="]);
const flipped: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!=" };
const keywords = new Set(["AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "NULL", "TRUE", "FALSE"]);
const operatorHints: Record<string, string> = {
  "==": "use = to compare",
  "&&": "use AND",
  "||": "use OR",
  "!": "use NOT",
  "<=>": "use IS NULL or = instead of the null-safe <=>",
};

function describe(token: FilterToken): string {
  if (token.kind === "end") return "the end of the filter";
  if (token.kind === "string") return `'${token.text}'`;
  return `"${token.text}"`;
}

class Parser {
  private index = 0;
  readonly columns: string[] = [];

  /** `depth` starts at -1 for `filter = ( ... )`, whose own parentheses are not a level. */
  constructor(
    private readonly tokens: FilterToken[],
    private depth: number,
  ) {}

  private peek(): FilterToken {
    return this.tokens[this.index] ?? (this.tokens[this.tokens.length - 1] as FilterToken);
  }

  private fail(token: FilterToken, message: string, hint?: string, kind: FilterError["kind"] = "syntax"): never {
    const detail: FilterError = { kind, message, start: token.start, end: token.end };
    if (hint !== undefined) detail.hint = hint;
    throw new FilterSyntaxError(detail);
  }

  /** `==`, `&&`, `||`, `!`: other languages' operators get a pointed hint. */
  private failOnForeignOperator(token: FilterToken): void {
    const hint = token.kind === "operator" ? operatorHints[token.text] : undefined;
    if (hint) this.fail(token, `${token.text} is not supported in row filters`, hint, "unsupported");
  }

  private isKeyword(word: string, token: FilterToken = this.peek()): boolean {
    return token.kind === "identifier" && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.index++;
    return true;
  }

  private expectKeyword(word: string, context: string): void {
    if (!this.acceptKeyword(word)) this.fail(this.peek(), `expected ${word} ${context} but found ${describe(this.peek())}`);
  }

  parse(): FilterExpr {
    if (this.peek().kind === "end") throw new FilterSyntaxError({ kind: "empty", message: "the row filter is empty", hint: "write a condition such as status = 'paid', or remove the filter", start: 0, end: 0 });
    const expr = this.or();
    if (this.peek().kind !== "end") {
      const token = this.peek();
      this.failOnForeignOperator(token);
      if (token.kind === "rparen") this.fail(token, "this ')' has no matching '('");
      this.fail(token, `unexpected ${describe(token)} after a complete condition`, "join conditions with AND or OR");
    }
    return expr;
  }

  private or(): FilterExpr {
    const args = [this.and()];
    while (this.acceptKeyword("OR")) args.push(this.and());
    return args.length === 1 ? (args[0] as FilterExpr) : ({ op: "or", args: args.flatMap((a) => (a.op === "or" ? a.args : [a])) } as FilterExpr);
  }

  private and(): FilterExpr {
    const args = [this.not()];
    while (this.acceptKeyword("AND")) args.push(this.not());
    return args.length === 1 ? (args[0] as FilterExpr) : ({ op: "and", args: args.flatMap((a) => (a.op === "and" ? a.args : [a])) } as FilterExpr);
  }

  /** Parses one level down from `token` (a NOT or a '('), failing past maxFilterDepth. */
  private nested(token: FilterToken, inner: () => FilterExpr): FilterExpr {
    if (this.depth >= maxFilterDepth) {
      this.fail(token, `NOT and parentheses nest more than ${maxFilterDepth} levels deep here`, "simplify the condition; NOT NOT x is x", "nesting");
    }
    this.depth++;
    const expr = inner();
    this.depth--;
    return expr;
  }

  private not(): FilterExpr {
    const token = this.peek();
    if (this.acceptKeyword("NOT")) return { op: "not", arg: this.nested(token, () => this.not()) };
    return this.predicate();
  }

  private predicate(): FilterExpr {
    const token = this.peek();
    if (token.kind === "lparen") {
      this.index++;
      const inner = this.nested(token, () => this.or());
      if (this.peek().kind !== "rparen") {
        this.failOnForeignOperator(this.peek());
        this.fail(this.peek(), `expected ')' to close the '(' but found ${describe(this.peek())}`);
      }
      this.index++;
      return inner;
    }
    if (this.isLiteralStart(token)) {
      // `100 < total` reads naturally too; store it column-first.
      const value = this.literal();
      const op = this.peek();
      if (op.kind !== "operator" || !comparison.has(op.text)) this.fail(op, `expected a comparison operator after ${describe(token)} but found ${describe(op)}`);
      this.index++;
      const column = this.column();
      const normalized = op.text === "<>" ? "!=" : op.text;
      return { op: flipped[normalized] as "=", column, value };
    }
    const column = this.column();
    return this.columnPredicate(column);
  }

  private columnPredicate(column: string): FilterExpr {
    const token = this.peek();
    if (token.kind === "operator" && comparison.has(token.text)) {
      this.index++;
      if (this.peek().kind === "identifier" && !keywords.has(this.peek().text.toUpperCase()) || this.peek().kind === "quotedIdentifier") {
        this.fail(this.peek(), "a row filter compares a column with a literal, not with another column", undefined, "unsupported");
      }
      const value = this.literal();
      if (value === null) this.fail(this.tokens[this.index - 1] as FilterToken, `comparing with NULL is never true`, `write ${column} IS NULL or ${column} IS NOT NULL`, "unsupported");
      return { op: (token.text === "<>" ? "!=" : token.text) as "=", column, value };
    }
    this.failOnForeignOperator(token);
    if (this.acceptKeyword("IS")) {
      const negated = this.acceptKeyword("NOT");
      this.expectKeyword("NULL", "after IS");
      return { op: "is-null", column, negated };
    }
    const negated = this.acceptKeyword("NOT");
    if (this.acceptKeyword("IN")) return { op: "in", column, values: this.literalList() as [FilterLiteral], negated };
    if (this.acceptKeyword("BETWEEN")) {
      const low = this.literal();
      this.expectKeyword("AND", "between the bounds of BETWEEN");
      const high = this.literal();
      return { op: "between", column, low, high, negated };
    }
    if (this.acceptKeyword("LIKE")) {
      const pattern = this.peek();
      if (pattern.kind !== "string") this.fail(pattern, `LIKE needs a quoted pattern such as 'abc%' but found ${describe(pattern)}`);
      this.index++;
      return { op: "like", column, pattern: pattern.text, negated };
    }
    const expected = negated ? "IN, BETWEEN or LIKE after NOT" : "a comparison (=, !=, <, <=, >, >=), IN, BETWEEN, LIKE or IS NULL";
    this.fail(this.peek(), `expected ${expected} after column ${column} but found ${describe(this.peek())}`);
  }

  private column(): string {
    const token = this.peek();
    if (token.kind === "quotedIdentifier" || (token.kind === "identifier" && !keywords.has(token.text.toUpperCase()))) {
      if (token.kind === "identifier" && this.tokens[this.index + 1]?.kind === "lparen") {
        this.fail(token, `functions such as ${token.text}() are not supported in row filters`, "compare a column with a literal value", "unsupported");
      }
      this.index++;
      this.columns.push(token.text);
      return token.text;
    }
    if (token.kind === "unsupported") this.fail(token, `double quotes are not allowed in row filters`, "write strings in single quotes and column names bare or in `backquotes`", "unsupported");
    this.fail(token, `expected a column name but found ${describe(token)}`);
  }

  private isLiteralStart(token: FilterToken): boolean {
    if (token.kind === "string" || token.kind === "number") return true;
    if (token.kind === "operator" && token.text === "-") return this.tokens[this.index + 1]?.kind === "number";
    return this.isKeyword("NULL", token) || this.isKeyword("TRUE", token) || this.isKeyword("FALSE", token);
  }

  private literal(): FilterLiteral {
    const token = this.peek();
    if (token.kind === "string") {
      this.index++;
      return { string: token.text };
    }
    if (token.kind === "operator" && token.text === "-" && this.tokens[this.index + 1]?.kind === "number") {
      const digits = this.tokens[this.index + 1] as FilterToken;
      this.index += 2;
      return { number: `-${digits.text}` };
    }
    if (token.kind === "number") {
      this.index++;
      return { number: token.text };
    }
    if (this.acceptKeyword("NULL")) return null;
    // MySQL's TRUE and FALSE are the integers 1 and 0.
    if (this.acceptKeyword("TRUE")) return { number: "1" };
    if (this.acceptKeyword("FALSE")) return { number: "0" };
    if (token.kind === "unsupported") this.fail(token, "double-quoted strings are not allowed in row filters", "use single quotes, e.g. status = 'paid'", "unsupported");
    if (token.kind === "identifier" && this.tokens[this.index + 1]?.kind === "lparen") {
      this.fail(token, `functions such as ${token.text}() are not supported in row filters`, "compare with a literal value", "unsupported");
    }
    this.fail(token, `expected a literal (a 'string', a number or NULL) but found ${describe(token)}`);
  }

  private literalList(): FilterLiteral[] {
    if (this.peek().kind !== "lparen") this.fail(this.peek(), `expected '(' to start the IN list but found ${describe(this.peek())}`);
    this.index++;
    const values = [this.literal()];
    while (this.peek().kind === "comma") {
      this.index++;
      values.push(this.literal());
    }
    if (this.peek().kind !== "rparen") this.fail(this.peek(), `expected ',' or ')' in the IN list but found ${describe(this.peek())}`);
    this.index++;
    return values;
  }
}

export interface FilterParseOptions {
  /** The text is a bare condition, wrapped in parentheses that belong to the .dts syntax. */
  parenthesised?: boolean;
}

export function parseFilter(text: string, options: FilterParseOptions = {}): FilterParseResult {
  const { tokens, errors } = lexFilter(text);
  const lexError = errors[0];
  if (lexError) {
    const error: FilterError = { kind: lexError.kind === "unterminated" ? "unterminated" : "syntax", message: lexError.message, start: lexError.start, end: lexError.end };
    if (lexError.hint !== undefined) error.hint = lexError.hint;
    return { ok: false, error };
  }
  const parser = new Parser(tokens, options.parenthesised ? -1 : 0);
  try {
    const expr = parser.parse();
    return { ok: true, expr, columns: [...new Set(parser.columns)] };
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { ok: false, error: error.detail };
    throw error;
  }
}
