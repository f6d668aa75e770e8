// Text ↔ bytes in a column's MySQL character set. DTS Avro carries character data as the bytes
// of the column charset plus its name; canonical values are JS strings.
import iconv from "iconv-lite";
import { patchedTables, serverTables } from "./charset-tables.js";

// MySQL names whose iconv-lite name differs. MySQL's latin1 is Windows-1252 (its own codec
// below); its ucs2 is big-endian, where iconv-lite's "ucs2" is little-endian. Each single-byte
// table was checked byte by byte against MariaDB 10.11's CONVERT(... USING utf8mb4): they differ
// only at bytes one of the two leaves undefined, or where charset-tables.ts says.
const iconvNames: Record<string, string> = {
  utf8mb4: "utf8", utf8mb3: "utf8", utf8: "utf8", ascii: "utf8", latin1: "latin1-mysql", binary: "latin1",
  gbk: "gbk", gb2312: "gb2312", gb18030: "gb18030", big5: "big5", sjis: "shift_jis", cp932: "cp932",
  ujis: "euc-jp", eucjpms: "euc-jp", euckr: "euc-kr", ucs2: "utf16-be", utf16: "utf16-be", utf16le: "utf16le",
  utf32: "utf32-be", latin2: "iso-8859-2", latin5: "iso-8859-9", latin7: "iso-8859-13", greek: "iso-8859-7",
  hebrew: "iso-8859-8", cp1250: "cp1250", cp1251: "cp1251", cp1256: "cp1256", cp1257: "cp1257", koi8r: "koi8-r",
  tis620: "iso885911", cp850: "cp850", cp852: "cp852", macce: "maccenteuro", hp8: "hproman8",
};

/** What MySQL stores for a character its charset cannot hold, and reads for a byte it has no character for. */
const QUESTION_MARK = 0x3f;

interface ByteTable { decode: readonly string[]; encode: ReadonlyMap<string, number> }
const byteTables = new Map<string, ByteTable>();

/** MySQL's character of each byte, for a charset read by a table of charset-tables.ts; null for others. */
function tableCharacters(charset: string): string[] | null {
  const patched = patchedTables[charset];
  if (patched) {
    return Array.from({ length: 256 }, (_, byte) => {
      const mysql = patched.differences[byte];
      return mysql === undefined ? iconv.decode(Buffer.from([byte]), patched.base) : String.fromCodePoint(mysql);
    });
  }
  const server = serverTables[charset];
  if (!server) return null;
  return Array.from({ length: 256 }, (_, byte) =>
    String.fromCodePoint(byte < 0x80 ? (server.asciiChanges?.[byte] ?? byte) : (server.upperHalf?.[byte - 0x80] ?? QUESTION_MARK)),
  );
}

/** A charset's table, built on first use; a character two bytes share encodes as the lower byte, an undefined one as `?`. */
function byteTable(charset: string): ByteTable | null {
  let table = byteTables.get(charset);
  if (!table) {
    const decode = tableCharacters(charset);
    if (!decode) return null;
    const encode = new Map<string, number>();
    for (const [byte, char] of decode.entries()) if (!encode.has(char) && char !== "\ufffd") encode.set(char, byte);
    table = { decode, encode };
    byteTables.set(charset, table);
  }
  return table;
}

const readByTable = (name: string): boolean => name in patchedTables || name in serverTables;

function iconvName(charset: string | null): string {
  const name = (charset ?? "utf8mb4").toLowerCase();
  return iconvNames[name] ?? (readByTable(name) ? name : "utf8");
}

/** Whether this module reads the charset by MySQL's table (else it reads the bytes as UTF-8). */
export function knowsCharset(charset: string): boolean {
  const name = charset.toLowerCase();
  return name in iconvNames || readByTable(name);
}

/** The 256 characters of a single-byte charset, each byte as this module reads it, in byte order. */
export function singleByteCharacters(charset: string): string {
  return Array.from({ length: 256 }, (_, byte) => bytesToText(Buffer.from([byte]), charset)).join("");
}

/** Whether the column's bytes are the UTF-8 encoding of its text (so no conversion is needed). */
export function isUtf8Charset(charset: string | null): boolean {
  return iconvName(charset) === "utf8";
}

/**
 * Charsets Java has no decoder for, so the DTS SDK reads their bytes as another charset's
 * (dec8, geostd8 and swe7 as Windows-1252, keybcs2 as IBM852): their text goes as UTF-8.
 */
const WRITTEN_AS_UTF8MB4 = new Set(["dec8", "swe7", "keybcs2", "geostd8"]);

/**
 * The charset name DTS Avro writes with a Character value (docs/formats.md, DTS Avro): the
 * column's own; `utf8` for utf8mb3, the name MySQL 5.7, DTS and its SDK know (the SDK cannot
 * decode `utf8mb3`); utf8mb4 for the charsets of WRITTEN_AS_UTF8MB4 and any this module does
 * not know, whose text then goes as UTF-8.
 */
export function writtenCharset(charset: string | null): string {
  if (charset === null) return "utf8mb4";
  const name = charset.toLowerCase();
  if (name === "utf8mb3") return "utf8";
  return knowsCharset(name) && !WRITTEN_AS_UTF8MB4.has(name) ? charset : "utf8mb4";
}

/** The charset whose bytes DTS Avro writes for a column's text: the one writtenCharset names. */
export function writtenBytesCharset(charset: string | null): string | null {
  return writtenCharset(charset) === "utf8mb4" ? "utf8mb4" : charset;
}

/**
 * MySQL's latin1: Windows-1252, except that the five bytes Windows-1252 leaves undefined (0x81,
 * 0x8D, 0x8F, 0x90, 0x9D) are the C1 controls of the same value, as the server converts them.
 * iconv-lite reads them as U+FFFD, so distinct values (and keys) would become one; its
 * Windows-1252 does the rest, and only text holding one of the five takes the slower way.
 */
const UNDEFINED_BYTES = [0x81, 0x8d, 0x8f, 0x90, 0x9d];
const UNDEFINED_IN_CP1252 = new RegExp(`[${UNDEFINED_BYTES.map((b) => String.fromCharCode(b)).join("")}]`);

function latin1Decode(bytes: Buffer): string {
  const text = iconv.decode(bytes, "cp1252");
  // U+FFFD is not latin1: it stands for one of the five bytes, read them one by one.
  if (!text.includes("\ufffd")) return text;
  let exact = "";
  for (const byte of bytes) exact += UNDEFINED_BYTES.includes(byte) ? String.fromCharCode(byte) : iconv.decode(Buffer.from([byte]), "cp1252");
  return exact;
}

/** Text iconv-lite's Windows-1252 would write otherwise than the server: the five, and characters beyond U+FFFF (two `?` for one). */
const NOT_PLAIN_CP1252 = new RegExp(`${UNDEFINED_IN_CP1252.source}|[\\ud800-\\udfff]`);

/** A character latin1 cannot hold becomes one `?`, as the server stores it. */
function latin1Encode(text: string): Buffer {
  if (!NOT_PLAIN_CP1252.test(text)) return iconv.encode(text, "cp1252");
  const byteOf = (char: string) => (UNDEFINED_IN_CP1252.test(char) ? char.charCodeAt(0) : char.length > 1 ? QUESTION_MARK : (iconv.encode(char, "cp1252")[0] as number));
  return Buffer.from([...text].map(byteOf));
}

export function textToBytes(text: string, charset: string | null): Buffer {
  const name = iconvName(charset);
  if (name === "utf8") return Buffer.from(text, "utf8");
  const table = byteTable(name);
  if (table) return Buffer.from([...text].map((char) => table.encode.get(char) ?? QUESTION_MARK));
  return name === "latin1-mysql" ? latin1Encode(text) : iconv.encode(text, name);
}

export function bytesToText(bytes: Uint8Array, charset: string | null): string {
  const name = iconvName(charset);
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (name === "utf8") return buffer.toString("utf8");
  const table = byteTable(name);
  if (table) return Array.from(buffer, (byte) => table.decode[byte] as string).join("");
  return name === "latin1-mysql" ? latin1Decode(buffer) : iconv.decode(buffer, name, { stripBOM: false });
}
