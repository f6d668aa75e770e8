// Tokens of a row filter, a small SQL WHERE dialect. Offsets are relative to the filter text.

export type FilterTokenKind = "identifier" | "quotedIdentifier" | "string" | "number" | "operator" | "lparen" | "rparen" | "comma" | "unsupported" | "end";

export interface FilterToken {
  kind: FilterTokenKind;
  /** The token as written; for strings and quoted identifiers, the unquoted value. */
  text: string;
  start: number;
  end: number;
}

export interface FilterLexError {
  kind: "unterminated" | "character";
  message: string;
  hint?: string;
  start: number;
  end: number;
}

const operators = ["<=>", "<=", ">=", "<>", "!=", "==", "&&", "||", "=", "<", ">", "+", "-", "*", "/", "%", "!"];

/** MySQL's string escapes; \\% and \\_ stay as written so LIKE can still match them literally. */
const stringEscapes = new Map([["0", "\0"], ["b", "\b"], ["n", "\n"], ["r", "\r"], ["t", "\t"], ["Z", "\x1a"], ["%", "\\%"], ["_", "\\_"]]);

/** Reads a quoted run ending at `quote`; a doubled quote stands for itself, as in SQL. */
function readQuoted(text: string, start: number, quote: string): { value: string; end: number } | undefined {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\\" && quote === "'" && i + 1 < text.length) {
      const next = text[++i] as string;
      value += stringEscapes.get(next) ?? next;
    } else if (ch === quote) {
      if (text[i + 1] === quote) {
        value += quote;
        i++;
      } else {
        return { value, end: i + 1 };
      }
    } else {
      value += ch;
    }
  }
  return undefined;
}

export function lexFilter(text: string): { tokens: FilterToken[]; errors: FilterLexError[] } {
  const tokens: FilterToken[] = [];
  const errors: FilterLexError[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === "'" || ch === "`" || ch === '"') {
      const quoted = readQuoted(text, i, ch);
      if (!quoted) {
        errors.push({ kind: "unterminated", message: ch === "`" ? "this quoted column name is not closed" : "this string is not closed", hint: `add the closing ${ch}`, start, end: text.length });
        break;
      }
      tokens.push({ kind: ch === "'" ? "string" : ch === "`" ? "quotedIdentifier" : "unsupported", text: ch === '"' ? text.slice(start, quoted.end) : quoted.value, start, end: quoted.end });
      i = quoted.end;
      continue;
    }
    const number = /^\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: "number", text: number[0], start, end: i + number[0].length });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: "identifier", text: word[0], start, end: i + word[0].length });
      i += word[0].length;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ kind: ch === "(" ? "lparen" : ch === ")" ? "rparen" : "comma", text: ch, start, end: i + 1 });
      i++;
      continue;
    }
    const operator = operators.find((op) => text.startsWith(op, i));
    if (operator) {
      tokens.push({ kind: "operator", text: operator, start, end: i + operator.length });
      i += operator.length;
      continue;
    }
    errors.push({ kind: "character", message: `unexpected character ${JSON.stringify(ch)} in the row filter`, start, end: i + 1 });
    i++;
  }
  tokens.push({ kind: "end", text: "", start: text.length, end: text.length });
  return { tokens, errors };
}
