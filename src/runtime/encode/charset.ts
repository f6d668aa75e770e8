// Text ↔ bytes in a column's MySQL character set. DTS Avro carries character data as the bytes
// of the column charset plus its name; canonical values are JS strings.
import iconv from "iconv-lite";

// MySQL names whose iconv-lite name differs. MySQL's latin1 is Windows-1252.
const iconvNames: Record<string, string> = {
  utf8mb4: "utf8", utf8mb3: "utf8", utf8: "utf8", ascii: "utf8", latin1: "cp1252", binary: "latin1",
  gbk: "gbk", gb2312: "gb2312", gb18030: "gb18030", big5: "big5", sjis: "shift_jis", cp932: "cp932",
  ujis: "euc-jp", eucjpms: "euc-jp", euckr: "euc-kr", ucs2: "ucs2", utf16: "utf16-be", utf16le: "utf16le",
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

export function textToBytes(text: string, charset: string | null): Buffer {
  const name = iconvName(charset);
  return name === "utf8" ? Buffer.from(text, "utf8") : iconv.encode(text, name);
}

export function bytesToText(bytes: Uint8Array, charset: string | null): string {
  const name = iconvName(charset);
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return name === "utf8" ? buffer.toString("utf8") : iconv.decode(buffer, name, { stripBOM: false });
}
