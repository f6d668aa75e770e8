// Masking secrets in what diagnostics print: the source text under an excerpt, and messages and
// hints that echo what was written (a parse error quotes the token it found, a type error the
// word). The text is masked in place, one '*' per UTF-16 unit, so every offset and line stays
// where it was; messages are masked by looking for what was masked in the text.
import { findSecretRanges } from "./scan.js";

/** What was masked in a text, as messages may echo it. */
export interface SecretPieces {
  /** Whole masked values, raw and unescaped. */
  values: string[];
  /** The words a lexer splits a bare value into (hunter2!secret: hunter2, secret). */
  words: string[];
}

export interface RedactedSource {
  text: string;
  pieces: SecretPieces;
}

/** Below this, a value is masked in messages only where it is quoted, so a one-letter password does not star out every "a". */
const minimumBareValue = 4;
/** Messages shorten long tokens to a prefix and an ellipsis; a prefix this long is still masked. */
const minimumPrefix = 4;
/** Characters a lexer keeps together in one name or number. */
const wordRun = /[A-Za-z0-9_.-]+/g;
const wordChar = "[A-Za-z0-9_.-]";

function stars(text: string): string {
  return "*".repeat(text.length);
}

function unescaped(raw: string): string | undefined {
  if (!raw.includes("\\")) return undefined;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined;
  }
}

export function redactSource(text: string): RedactedSource {
  const ranges = findSecretRanges(text);
  if (ranges.length === 0) return { text, pieces: { values: [], words: [] } };
  const parts: string[] = [];
  const values = new Set<string>();
  const words = new Set<string>();
  let at = 0;
  for (const { start, end } of ranges) {
    const raw = text.slice(start, end);
    parts.push(text.slice(at, start), stars(raw));
    values.add(raw);
    const plain = unescaped(raw);
    if (plain) values.add(plain);
    for (const word of raw.match(wordRun) ?? []) if (word.length >= minimumBareValue && word !== raw) words.add(word);
    at = end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(""), pieces: { values: [...values], words: [...words] } };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A prefix of a value cut off by an ellipsis ("hunter2secr..."), as long token images are shown. */
function maskPrefixes(message: string, values: readonly string[]): string {
  let out = message;
  for (const match of message.matchAll(/\.\.\.|…/g)) {
    const end = match.index as number;
    for (const value of values) {
      for (let start = Math.max(0, end - value.length); start <= end - minimumPrefix; start++) {
        if (!value.startsWith(out.slice(start, end))) continue;
        out = out.slice(0, start) + stars(out.slice(start, end)) + out.slice(end);
        break;
      }
    }
  }
  return out;
}

/** Values and words longest first, so one that contains another is masked whole. */
export function redactMessage(message: string, pieces: SecretPieces): string {
  let out = message;
  for (const value of pieces.values) {
    if (value.length >= minimumBareValue) out = out.split(value).join(stars(value));
    else out = out.replace(new RegExp(`(["'])${escapeRegExp(value)}\\1`, "g"), (_, quote: string) => `${quote}${stars(value)}${quote}`);
  }
  // Words only where they stand alone: "secret" from "hunter2!secret" leaves "secrets in git" be.
  for (const word of pieces.words) out = out.replace(new RegExp(`(?<!${wordChar})${escapeRegExp(word)}(?!${wordChar})`, "g"), stars(word));
  return maskPrefixes(out, pieces.values);
}
