// Text ↔ bytes in a column's MySQL character set. DTS Avro carries character data as the bytes
// of the column charset plus its name; canonical values are JS strings.
import iconv from "iconv-lite";

// MySQL names whose iconv-lite name differs. MySQL's latin1 is Windows-1252 (its own codec
// below); its ucs2 is big-endian, where iconv-lite's "ucs2" is little-endian. Each single-byte
// table was checked byte by byte against MariaDB 10.11's CONVERT(... USING utf8mb4): they differ
// only at bytes one of the two leaves undefined, or where patchedTables says.
const iconvNames: Record<string, string> = {
  utf8mb4: "utf8", utf8mb3: "utf8", utf8: "utf8", ascii: "utf8", latin1: "latin1-mysql", binary: "latin1",
  gbk: "gbk", gb2312: "gb2312", gb18030: "gb18030", big5: "big5", sjis: "shift_jis", cp932: "cp932",
  ujis: "euc-jp", eucjpms: "euc-jp", euckr: "euc-kr", ucs2: "utf16-be", utf16: "utf16-be", utf16le: "utf16le",
  utf32: "utf32-be", latin2: "iso-8859-2", latin5: "iso-8859-9", latin7: "iso-8859-13", greek: "iso-8859-7",
  hebrew: "iso-8859-8", cp1250: "cp1250", cp1251: "cp1251", cp1256: "cp1256", cp1257: "cp1257", koi8r: "koi8-r",
  tis620: "iso885911", cp850: "cp850", cp852: "cp852", macce: "maccenteuro", hp8: "hproman8",
};

/** MySQL tables that differ from iconv-lite's codec (base) at a few bytes: MySQL's character of each. */
const patchedTables: Record<string, { base: string; differences: Record<number, number> }> = {
  koi8u: { base: "koi8-u", differences: { 0x95: 0x2022 } },
  cp866: { base: "cp866", differences: { 0xfc: 0x207f, 0xfd: 0xb2 } },
  macroman: { base: "macroman", differences: { 0xbd: 0x3a9, 0xdb: 0x20ac, 0xf0: 0xf8ff } },
  armscii8: { base: "armscii8", differences: { 0xa1: 0x2741, 0xa2: 0xa7, 0xad: 0x55f, 0xfe: 0x2019, 0xff: 0x27 } },
};

interface ByteTable { decode: readonly string[]; encode: ReadonlyMap<string, number> }
const byteTables = new Map<string, ByteTable>();

/** A patched table, built on first use; a character two bytes share encodes as the lower byte, an undefined one as `?`. */
function byteTable(charset: string): ByteTable | null {
  const patched = patchedTables[charset];
  if (!patched) return null;
  let table = byteTables.get(charset);
  if (!table) {
    const decode = Array.from({ length: 256 }, (_, byte) => {
      const mysql = patched.differences[byte];
      return mysql === undefined ? iconv.decode(Buffer.from([byte]), patched.base) : String.fromCodePoint(mysql);
    });
    const encode = new Map<string, number>();
    for (const [byte, char] of decode.entries()) if (!encode.has(char) && char !== "\ufffd") encode.set(char, byte);
    table = { decode, encode };
    byteTables.set(charset, table);
  }
  return table;
}

function iconvName(charset: string | null): string {
  const name = (charset ?? "utf8mb4").toLowerCase();
  return iconvNames[name] ?? (name in patchedTables ? name : "utf8");
}

/** Whether this module reads the charset by MySQL's table (else it reads the bytes as UTF-8). */
export function knowsCharset(charset: string): boolean {
  const name = charset.toLowerCase();
  return name in iconvNames || name in patchedTables;
}

/** Whether the column's bytes are the UTF-8 encoding of its text (so no conversion is needed). */
export function isUtf8Charset(charset: string | null): boolean {
  return iconvName(charset) === "utf8";
}

/**
 * The charset name DTS Avro writes with a Character value: the column's own, or utf8mb4 for a
 * charset this module cannot encode (dec8, swe7, keybcs2, geostd8), whose text then goes as
 * UTF-8, so that a consumer decodes it right (docs/formats.md, DTS Avro).
 */
export function writtenCharset(charset: string | null): string {
  return charset !== null && knowsCharset(charset) ? charset : "utf8mb4";
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
const QUESTION_MARK = 0x3f;

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
