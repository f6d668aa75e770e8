// Text written for a CHAR, VARCHAR or TEXT column → the value the server stores and the binlog
// carries: what exceeds the column or its character set is an error (strict mode), trailing
// spaces beyond the length are cut as the server cuts them, and CHAR loses its trailing spaces
// when read back (no PAD_CHAR_TO_FULL_LENGTH).
import type { ColumnInfo } from "../runtime/index.js";
import { bytesToText, textToBytes } from "../runtime/encode/charset.js";

export type TextResult = { ok: true; text: string } | { ok: false; message: string };

const characterLimited = new Set(["char", "varchar"]);
const byteLimited = new Set(["tinytext", "text", "mediumtext", "longtext"]);

const codePoint = (char: string) => `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0")}`;

/** Whether the character set holds `char`: the server refuses the value otherwise (strict mode). */
function holds(charset: string, char: string): boolean {
  const code = char.codePointAt(0) as number;
  if (charset === "ascii") return code < 0x80;
  if (charset === "utf8mb3" || charset === "utf8") return code <= 0xffff;
  return bytesToText(textToBytes(char, charset), charset) === char;
}

function charsetProblem(text: string, column: ColumnInfo): string | null {
  const charset = (column.charset ?? "utf8mb4").toLowerCase();
  if (charset === "utf8mb4" || charset === "binary") return null;
  const stranger = [...text].find((char) => !holds(charset, char));
  return stranger === undefined ? null : `${JSON.stringify(stranger)} (${codePoint(stranger)}) is not in ${column.name}'s character set ${charset}: the server refuses the value`;
}

/** `text` cut to `fits`, when only spaces are beyond it (the server drops those); null otherwise. */
function cutTrailingSpaces(text: string, fits: (text: string) => boolean): string | null {
  let cut = text;
  while (!fits(cut) && cut.endsWith(" ")) cut = cut.slice(0, -1);
  return fits(cut) ? cut : null;
}

function fitLength(text: string, column: ColumnInfo): TextResult {
  const limit = column.precision;
  if (limit === null) return { ok: true, text };
  if (characterLimited.has(column.dataType)) {
    const fitted = cutTrailingSpaces(text, (t) => [...t].length <= limit);
    return fitted !== null ? { ok: true, text: fitted } : { ok: false, message: `${column.name} is ${column.columnType}: ${[...text].length} characters do not fit (at most ${limit})` };
  }
  if (!byteLimited.has(column.dataType)) return { ok: true, text };
  const bytes = (t: string) => textToBytes(t, column.charset).length;
  const fitted = cutTrailingSpaces(text, (t) => bytes(t) <= limit);
  return fitted !== null ? { ok: true, text: fitted } : { ok: false, message: `${column.name} is ${column.columnType}: ${bytes(text)} bytes in ${column.charset ?? "utf8mb4"} do not fit (at most ${limit})` };
}

/** The text as stored and read back, or why the column cannot take it. */
export function storedText(text: string, column: ColumnInfo): TextResult {
  if (!characterLimited.has(column.dataType) && !byteLimited.has(column.dataType)) return { ok: true, text };
  const charset = charsetProblem(text, column);
  if (charset !== null) return { ok: false, message: charset };
  const fitted = fitLength(text, column);
  if (!fitted.ok || column.dataType !== "char") return fitted;
  return { ok: true, text: fitted.text.replace(/ +$/, "") };
}
