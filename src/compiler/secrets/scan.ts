// Finds the characters of a .dts file that may be secret, from the raw text alone: diagnostics
// are printed for files that do not lex or parse, and a password is most often in the source
// exactly when the spec is wrong (a typo in the key, a missing quote, single quotes, a list
// around it). So this does not trust the grammar: after a key that names a secret (see keys.ts),
// with `=`, `:` or nothing between, the value that follows is taken as a string, a bare run of
// characters, a call or a bracketed group, each as far as it goes on its own terms. Strings
// and bare words inside are secret; punctuation, function names and map keys stay visible, and
// so does an env("NAME") or file("path") reference, which is what a spec should hold. Passwords
// inside URLs (scheme://user:password@host) in any string are secret as well.
import { isSecretKey } from "./keys.js";
import { urlPasswordRanges } from "./url-password.js";

export interface SecretRange {
  start: number;
  end: number;
}

const openers: Record<string, string> = { "[": "]", "(": ")", "{": "}" };
/** A reference a spec should hold: the name of a variable or a file, not a secret. */
const referenceCall = /(?:env|file)[ \t]*\([ \t]*"(?:[^"\\\r\n]|\\.)*"[ \t]*\)/y;
/** The next line starts a new attribute or block, so an unclosed list or call ended before it. */
const nextItem = /(?:\r\n|\r|\n)[ \t]*[A-Za-z_][\w-]*[ \t]*[={]/y;

const isSpace = (ch: string | undefined) => ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\uFEFF";
const isLineBreak = (ch: string | undefined) => ch === "\n" || ch === "\r";
const isNameStart = (ch: string | undefined) => ch !== undefined && /[A-Za-z_]/.test(ch);
/** Ends a bare run of characters: space, brackets, separators between values and quotes. */
const endsRun = (ch: string | undefined) => ch === undefined || isSpace(ch) || /[,;[\](){}"']/.test(ch);

class SecretScanner {
  readonly ranges: SecretRange[] = [];
  private readonly n: number;

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  scan(): SecretRange[] {
    let i = 0;
    while (i < this.n) {
      const ch = this.text[i];
      if (isSpace(ch)) i++;
      else if (this.commentAt(i)) i = this.commentEnd(i);
      else if (ch === '"' || ch === "'") i = this.string(i, false);
      else if (isNameStart(ch)) i = this.afterName(i);
      else i++;
    }
    return this.ranges;
  }

  private push(start: number, end: number): void {
    if (end > start) this.ranges.push({ start, end });
  }

  private runEnd(i: number, part: RegExp): number {
    let j = i + 1;
    while (j < this.n && part.test(this.text[j] as string)) j++;
    return j;
  }

  private commentAt(i: number): boolean {
    const ch = this.text[i];
    return ch === "#" || (ch === "/" && (this.text[i + 1] === "/" || this.text[i + 1] === "*"));
  }

  private commentEnd(i: number): number {
    if (this.text.startsWith("/*", i)) {
      const close = this.text.indexOf("*/", i + 2);
      return close < 0 ? this.n : close + 2;
    }
    let j = i;
    while (j < this.n && !isLineBreak(this.text[j])) j++;
    return j;
  }

  private skip(i: number, lines: boolean): number {
    let j = i;
    while (j < this.n) {
      const ch = this.text[j];
      if (ch === " " || ch === "\t" || (lines && isSpace(ch))) j++;
      else if (lines && this.commentAt(j)) j = this.commentEnd(j);
      else break;
    }
    return j;
  }

  /** A quoted string to its closing quote or the end of its line; its body is secret when asked. */
  private string(i: number, secret: boolean): number {
    const quote = this.text[i];
    let j = i + 1;
    while (j < this.n && this.text[j] !== quote && !isLineBreak(this.text[j])) j += this.text[j] === "\\" && !isLineBreak(this.text[j + 1]) ? 2 : 1;
    const bodyEnd = Math.min(j, this.n);
    if (secret) this.push(i + 1, bodyEnd);
    else if (quote === '"') this.urlPasswords(i + 1, bodyEnd);
    return this.text[j] === quote ? j + 1 : bodyEnd;
  }

  private urlPasswords(start: number, end: number): void {
    for (const range of urlPasswordRanges(this.text.slice(start, end))) this.push(start + range.start, start + range.end);
  }

  private afterName(start: number): number {
    const end = this.runEnd(start, /[\w-]/);
    const name = this.text.slice(start, end);
    if (name === "rename") return this.afterRename(end);
    return isSecretKey(name) ? this.value(this.valueStart(end)) : end;
  }

  /** Where the value after a key starts: `=` or `:` lets it start on a later line, no separator keeps it on this one. */
  private valueStart(keyEnd: number): number {
    let i = this.skip(keyEnd, false);
    // The grammar lets `=` follow on a later line or after a comment.
    const later = this.skip(keyEnd, true);
    if (this.text[i] !== "=" && this.text[i] !== ":" && (this.text[later] === "=" || this.text[later] === ":")) i = later;
    let separated = false;
    while (this.text[i] === "=" || this.text[i] === ":") {
      i++;
      separated = true;
    }
    return this.skip(i, separated);
  }

  /** The keys of a rename map are column names, and a column may well be called `password`. */
  private afterRename(keyEnd: number): number {
    const i = this.valueStart(keyEnd);
    return this.text[i] === "{" ? this.group(i, false) : i;
  }

  private value(i: number): number {
    const ch = this.text[i];
    if (ch === '"' || ch === "'") {
      // Strings written against each other (`"""secret"""`, a spec that does not parse) are one value.
      let end = this.string(i, true);
      while (this.text[end] === '"' || this.text[end] === "'") end = this.string(end, true);
      return end;
    }
    if (ch !== undefined && ch in openers) return this.group(i, true);
    if (endsRun(ch)) return i;
    const end = this.runEnd(i, /[^\s,;[\](){}"']/);
    const open = this.skip(end, false);
    const isName = /^[A-Za-z_][\w-]*$/.test(this.text.slice(i, end));
    // `password =` with the value left out: the name is the next attribute's key.
    if (isName && this.text[open] === "=") return i;
    if (!isName || this.text[open] !== "(") {
      this.push(i, end);
      return end;
    }
    referenceCall.lastIndex = i;
    if (referenceCall.test(this.text)) return referenceCall.lastIndex;
    return this.group(open, true);
  }

  /** A list, call arguments or map: strings and bare words inside are secret, map keys and function names are not. */
  private group(i: number, secret: boolean): number {
    const closers = [openers[this.text[i] as string] as string];
    let j = i + 1;
    while (j < this.n && closers.length) {
      const ch = this.text[j] as string;
      const innermost = closers[closers.length - 1];
      if (isLineBreak(ch) && innermost !== "}" && this.startsNextItem(j)) return j;
      if (isSpace(ch) || ch === "," || ch === "=" || ch === ":") j++;
      else if (this.commentAt(j)) j = this.commentEnd(j);
      else if (ch === '"' || ch === "'") j = this.string(j, secret);
      else if (ch in openers) {
        closers.push(openers[ch] as string);
        j++;
      } else if (ch === ")" || ch === "]" || ch === "}") {
        // A closer that does not match ends the value: it belongs to the enclosing block.
        if (ch !== innermost) return j;
        closers.pop();
        j++;
      } else j = this.word(j, secret);
    }
    return j;
  }

  private word(i: number, secret: boolean): number {
    const end = this.runEnd(i, /[^\s,;[\](){}"'=:]/);
    const next = this.text[this.skip(end, false)];
    if (secret && next !== "(" && next !== "=" && next !== ":") this.push(i, end);
    return end;
  }

  private startsNextItem(i: number): boolean {
    nextItem.lastIndex = i;
    return nextItem.test(this.text);
  }
}

/** Ranges of characters to mask, in order, never containing a line break. */
export function findSecretRanges(text: string): SecretRange[] {
  return new SecretScanner(text).scan();
}
