// Text ↔ bytes in a column's MySQL character set. DTS Avro carries character data as the bytes
// of the column charset plus its name; canonical values are JS strings.
import iconv from "iconv-lite";

// MySQL names whose iconv-lite name differs. MySQL's latin1 is Windows-1252 (its own codec
// below); its ucs2 is big-endian, where iconv-lite's "ucs2" is little-endian.
const iconvNames: Record<string, string> = {
  utf8mb4: "utf8", utf8mb3: "utf8", utf8: "utf8", ascii: "utf8", latin1: "latin1-mysql", binary: "latin1",
  gbk: "gbk", gb2312: "gb2312", gb18030: "gb18030", big5: "big5", sjis: "shift_jis", cp932: "cp932",
  ujis: "euc-jp", eucjpms: "euc-jp", euckr: "euc-kr", ucs2: "utf16-be", utf16: "utf16-be", utf16le: "utf16le",
  utf32: "utf32-be", latin2: "iso-8859-2", latin5: "iso-8859-9", latin7: "iso-8859-13", greek: "iso-8859-7",
  hebrew: "iso-8859-8", cp1250: "cp1250", cp1251: "cp1251", cp1256: "cp1256", cp1257: "cp1257", koi8r: "koi8-r",
};

function iconvName(charset: string | null): string {
  return iconvNames[(charset ?? "utf8mb4").toLowerCase()] ?? "utf8";
}

/** Whether the column's bytes are the UTF-8 encoding of its text (so no conversion is needed). */
export function isUtf8Charset(charset: string | null): boolean {
  return iconvName(charset) === "utf8";
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
  return name === "latin1-mysql" ? latin1Encode(text) : iconv.encode(text, name);
}

export function bytesToText(bytes: Uint8Array, charset: string | null): string {
  const name = iconvName(charset);
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (name === "utf8") return buffer.toString("utf8");
  return name === "latin1-mysql" ? latin1Decode(buffer) : iconv.decode(buffer, name, { stripBOM: false });
}
