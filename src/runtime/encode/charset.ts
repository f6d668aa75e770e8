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
 * iconv-lite reads them as U+FFFD, so distinct values (and keys) would become one.
 */
const latin1Chars = Array.from({ length: 256 }, (_, byte) => {
  const char = iconv.decode(Buffer.from([byte]), "cp1252");
  return char === "\ufffd" ? String.fromCharCode(byte) : char;
});
const latin1Bytes = new Map(latin1Chars.map((char, byte) => [char.codePointAt(0) as number, byte]));
const QUESTION_MARK = 0x3f;

function latin1Decode(bytes: Buffer): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += latin1Chars[bytes[i] as number];
  return text;
}

/** A character latin1 cannot hold becomes `?`, as the server stores it. */
function latin1Encode(text: string): Buffer {
  if (/^[\x00-\x7f]*$/.test(text)) return Buffer.from(text, "latin1");
  const bytes: number[] = [];
  for (const char of text) bytes.push(latin1Bytes.get(char.codePointAt(0) as number) ?? QUESTION_MARK);
  return Buffer.from(bytes);
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
