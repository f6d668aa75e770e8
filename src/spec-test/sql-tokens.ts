// Tokens of the little SQL a test case holds (CREATE TABLE, column types), with offsets into the
// text so a problem points at its place in the test file.

export interface SqlToken {
  kind: "word" | "quoted" | "string" | "number" | "punct";
  /** Words as written; quoted names and strings unescaped. */
  text: string;
  start: number;
  end: number;
}

export class SqlError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

/** A quoted run starting at `start` (quote `q`, doubled to escape it; backslash escapes in strings). */
function readQuoted(text: string, start: number, q: string): { value: string; end: number } {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\\" && q !== "`" && i + 1 < text.length) {
      value += text[++i];
    } else if (ch === q) {
      if (text[i + 1] !== q) return { value, end: i + 1 };
      value += q;
      i++;
    } else {
      value += ch;
    }
  }
  throw new SqlError(`this ${q === "`" ? "quoted name" : "string"} is not closed`, start, text.length);
}

export function sqlTokens(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "-" && text[i + 1] === "-") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "`" || ch === "'" || ch === '"') {
      const { value, end } = readQuoted(text, i, ch);
      tokens.push({ kind: ch === "`" ? "quoted" : "string", text: value, start: i, end });
      i = end;
    } else if (/[A-Za-z_$\u0080-\uffff]/.test(ch) || (/[0-9]/.test(ch) && /^[0-9]+[A-Za-z_$]/.test(text.slice(i, i + 66)))) {
      const end = i + (/^[A-Za-z0-9_$\u0080-\uffff]+/.exec(text.slice(i)) as RegExpExecArray)[0].length;
      tokens.push({ kind: "word", text: text.slice(i, end), start: i, end });
      i = end;
    } else if (/[0-9]/.test(ch) || (ch === "-" && /[0-9]/.test(text[i + 1] ?? ""))) {
      const end = i + (/^-?[0-9]+(?:\.[0-9]+)?/.exec(text.slice(i)) as RegExpExecArray)[0].length;
      tokens.push({ kind: "number", text: text.slice(i, end), start: i, end });
      i = end;
    } else if ("(),=.;".includes(ch) || "<>!+-*/%&|^~:?@".includes(ch)) {
      // Operators only occur in expressions the reader skips (CHECK, DEFAULT, GENERATED).
      tokens.push({ kind: "punct", text: ch, start: i, end: i + 1 });
      i++;
    } else {
      throw new SqlError(`unexpected character ${JSON.stringify(ch)}`, i, i + 1);
    }
  }
  return tokens;
}

/** A cursor over tokens with the checks a strict reader needs. */
export class SqlCursor {
  #at = 0;

  constructor(
    readonly tokens: SqlToken[],
    readonly textLength: number,
  ) {}

  peek(offset = 0): SqlToken | undefined {
    return this.tokens[this.#at + offset];
  }

  next(): SqlToken {
    const token = this.tokens[this.#at];
    if (!token) throw new SqlError("the statement ends too early", this.textLength, this.textLength);
    this.#at++;
    return token;
  }

  /** Whether the next tokens are these words (case-insensitive) or punctuation; consumes them if so. */
  accept(...words: string[]): boolean {
    const match = words.every((w, k) => {
      const token = this.peek(k);
      return token !== undefined && (token.kind === "word" || token.kind === "punct") && token.text.toUpperCase() === w;
    });
    if (match) this.#at += words.length;
    return match;
  }

  expect(word: string, what = `'${word}'`): SqlToken {
    const token = this.peek();
    if (!this.accept(word)) throw this.unexpected(what);
    return token as SqlToken;
  }

  /** A name: bare word or `quoted`. */
  name(what: string): SqlToken {
    const token = this.next();
    if (token.kind !== "word" && token.kind !== "quoted") throw new SqlError(`expected ${what}, found ${describe(token)}`, token.start, token.end);
    return token;
  }

  unexpected(what: string): SqlError {
    const token = this.peek();
    if (!token) return new SqlError(`expected ${what}, but the statement ends`, this.textLength, this.textLength);
    return new SqlError(`expected ${what}, found ${describe(token)}`, token.start, token.end);
  }

  get done(): boolean {
    return this.#at >= this.tokens.length;
  }

  /** The tokens up to the next ',' or ')' at this nesting level, consumed. */
  clause(): SqlToken[] {
    const from = this.#at;
    this.skipClause();
    return this.tokens.slice(from, this.#at);
  }

  /** Skips to the next ',' or ')' at this nesting level (for clauses that do not change the rows). */
  skipClause(): void {
    let depth = 0;
    for (let token = this.peek(); token; token = this.peek()) {
      if (token.kind === "punct" && depth === 0 && (token.text === "," || token.text === ")")) return;
      if (token.kind === "punct" && token.text === "(") depth++;
      if (token.kind === "punct" && token.text === ")") depth--;
      this.#at++;
    }
  }
}

function describe(token: SqlToken): string {
  return token.kind === "string" ? `'${token.text}'` : token.kind === "quoted" ? `\`${token.text}\`` : `'${token.text}'`;
}
