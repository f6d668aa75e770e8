// The tables charset.ts reads single-byte charsets by (charset-tables.ts: MySQL's own, where
// iconv-lite's differs or is missing), checked byte by byte against the server: each of the 256
// bytes must read as the character the server converts it to, so that the stream decodes a
// column's bytes to the text the initial sync's SELECT returns.
import { describe, expect, it } from "vitest";
import { patchedTables, serverTables } from "../../src/runtime/encode/charset-tables.js";
import { bytesToText } from "../../src/runtime/encode/charset.js";
import { useTestDatabase } from "./test-database.js";

const BYTES = Array.from({ length: 256 }, (_, byte) => byte);

describe("MySQL's single-byte charset tables", () => {
  const { db } = useTestDatabase("charsettables");

  it.each([...Object.keys(serverTables), ...Object.keys(patchedTables), "latin1"])("read every byte of %s as the server converts it", async (charset) => {
    const hex = (byte: number) => byte.toString(16).padStart(2, "0");
    const columns = BYTES.map((byte) => `HEX(CONVERT(CONVERT(UNHEX('${hex(byte)}') USING ${charset}) USING utf8mb4))`).join(", ");
    const [[row]] = (await db().query({ sql: `SELECT ${columns}`, rowsAsArray: true })) as unknown as [string[][]];
    const server = (row as string[]).map((text) => Buffer.from(text, "hex").toString("utf8"));
    const ours = BYTES.map((byte) => bytesToText(Buffer.from([byte]), charset));
    const differences = BYTES.filter((byte) => ours[byte] !== server[byte]).map((byte) => `0x${hex(byte)}: server ${server[byte]}, ours ${ours[byte]}`);
    expect(differences).toEqual([]);
  });
});
