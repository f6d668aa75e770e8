// The two corrections to zongji: charsets of FULL-metadata table maps re-read with GEOMETRY
// counted as the server counts it, and rows events without a table map reported.
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import type { ZongjiValueReader } from "../../src/runtime/source/row-image-reader.js";
import { installZongjiFixes, keepingEmptySetLabel, realignCharsets, UNMAPPED_ROWS, type MetadataParser, type ParsedTableMap } from "../../src/runtime/source/zongji-fixes.js";

/** Enough of zongji's parser for the metadata fields: 1-byte numbers, lengths under 251. */
function parserOver(bytes: number[]): MetadataParser {
  const buffer = Buffer.from(bytes);
  return {
    _offset: 0,
    parseUnsignedNumber(n: number) {
      const value = buffer.readUIntLE(this._offset, n);
      this._offset += n;
      return value;
    },
    parseLengthCodedNumber() {
      return buffer[this._offset++] ?? null;
    },
  };
}

const INT = 3, GEOMETRY = 255, BLOB = 252, VARCHAR = 15, STRING = 254, ENUM = 247;

/** id INT, g POINT, b BLOB, v VARCHAR latin1, e ENUM: what zongji made of it before the fix. */
function pointThenText(): ParsedTableMap {
  return {
    columnCount: 5,
    columnTypes: [INT, GEOMETRY, BLOB, VARCHAR, STRING],
    columnsMetadata: [undefined, undefined, undefined, undefined, { type: ENUM }],
    // zongji skipped GEOMETRY: the blob got the point's id, the varchar the blob's, latin1 was lost
    _columnCharsetIds: [undefined, undefined, 63, 63, 45],
  };
}

describe("zongji charset fix", () => {
  it("gives each column after a GEOMETRY column its own charset (COLUMN_CHARSET)", () => {
    // nullability bitmap, COLUMN_CHARSET [63 point, 63 blob, 8 latin1], COLUMN_NAME skipped
    const bytes = [0x00, 3, 3, 63, 63, 8, 4, 3, 2, 0x69, 0x64];
    const map = pointThenText();
    const parser = parserOver(bytes);
    realignCharsets(map, parser, 0, bytes.length);
    expect(map._columnCharsetIds).toEqual([undefined, 63, 63, 8, 45]);
    expect(parser._offset).toBe(bytes.length);
  });

  it("applies DEFAULT_CHARSET with its exceptions by position among character columns", () => {
    // default utf8mb4_general_ci (45); position 1 (the blob) binary, position 2 (varchar) latin1
    const bytes = [0x00, 2, 5, 45, 1, 63, 2, 8];
    const map = pointThenText();
    realignCharsets(map, parserOver(bytes), 0, bytes.length);
    expect(map._columnCharsetIds).toEqual([undefined, 45, 63, 8, 45]);
  });

  it("is installed on the zongji in node_modules", async () => {
    await expect(installZongjiFixes()).resolves.toBeUndefined();
  });
});

describe("zongji rows events without a table map", () => {
  it("are reported instead of dropped", async () => {
    await installZongjiFixes();
    const entry = createRequire(import.meta.url).resolve("@vlasky/zongji");
    const { WriteRows } = (await import(pathToFileURL(join(dirname(entry), "lib/rows_event.js")).href)) as { WriteRows: new (parser: unknown, options: unknown, zongji: unknown) => { _filtered: boolean } };
    const zongji = Object.assign(new EventEmitter(), { tableMap: {}, useChecksum: false });
    const reported: unknown[] = [];
    zongji.on(UNMAPPED_ROWS, (rows) => reported.push(rows));
    // table id 42 (6 bytes), flags, one column; zongji has no table map for id 42
    const numbers = [42, 0, 0];
    const parser = { _offset: 0, _packetEnd: 10, parseUnsignedNumber: () => numbers.shift() ?? 0, parseLengthCodedNumber: () => 1 };
    const event = new WriteRows(parser, { eventType: 0x17, timestamp: 0, nextPosition: 0, size: 10 }, zongji);
    expect(event._filtered).toBe(true);
    expect(reported).toEqual([{ tableId: 42 }]);
  });
});

describe("zongji and the charsets its iconv-lite lacks", () => {
  it("decodes dec8, swe7, keybcs2, geostd8 and hp8 text and labels by MySQL's tables, and prints nothing", async () => {
    await installZongjiFixes();
    const entry = createRequire(import.meta.url).resolve("@vlasky/zongji");
    const { decodeTextColumn } = (await import(pathToFileURL(join(dirname(entry), "lib/common.js")).href)) as { decodeTextColumn(bytes: Buffer, charset: string): unknown };
    const warn = vi.spyOn(console, "warn");
    try {
      const decoded = [["dec8", "e9d7"], ["swe7", "7b7d"], ["keybcs2", "809e"], ["geostd8", "c0fd"], ["hp8", "c5"]].map(([cs, hex]) => decodeTextColumn(Buffer.from(hex as string, "hex"), cs as string));
      expect(decoded).toEqual(["éŒ", "äå", "ČŘ", "ა№", "é"]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe("zongji's SET values", () => {
  it("keep the bit of the label '' when it is the only one set", () => {
    const SET = 248;
    // zongji's reader: the labels of the set bits joined by `,`, the last comma dropped
    const read: ZongjiValueReader = (parser, column) => {
      const bits = parser._buffer[parser._offset++] as number;
      return ["", "é", "ü"].filter((_, i) => bits & (1 << i)).join(",") + (column.type === SET ? "" : "?");
    };
    const reader = keepingEmptySetLabel(read);
    const valueOf = (bits: number, type = SET) => reader({ _buffer: Buffer.from([bits]), _offset: 0, parseBuffer: () => Buffer.alloc(0) }, { type, charset: null, metadata: null }, { COLUMN_TYPE: "" }, { columns: [], columnSchemas: [] }, null);
    expect([0, 1, 2, 3].map((bits) => valueOf(bits))).toEqual(["", ",", "é", ",é"]);
    expect(valueOf(0, 254)).toBe("?");
  });
});
