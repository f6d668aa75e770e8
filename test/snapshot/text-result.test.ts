// The byte reader of SELECT rows (snapshot/text-result.ts) on row packets built by hand: every
// form of MySQL's length-coded lengths, NULL, rows spread over several socket reads and over
// more than one block of its reused memory, and a packet it cannot read.
import { describe, expect, it } from "vitest";
import type { Connection } from "mysql2";
import { queryText, TextResult, type ResultField } from "../../src/runtime/snapshot/text-result.js";
import { rowPackets } from "../../bench/lib/row-packets.js";

/** A row packet as mysql2 hands it over: 4 header bytes, then the payload. */
class FakePacket {
  offset: number;
  constructor(readonly sequenceId: number, readonly buffer: Buffer, readonly start: number, readonly end: number) {
    this.offset = start + 4;
  }
}

/** Packets of the rows laid out one after the other in one buffer (one socket read). */
function packets(rows: (Buffer | null)[][], lead = 3): FakePacket[] {
  const { buffer, bounds } = rowPackets(rows, lead);
  return bounds.map(([start, end]) => new FakePacket(0, buffer, start, end));
}

const fields = (n: number): ResultField[] => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, columnType: 253, characterSet: 224, encoding: "utf8", flags: 0 }));

/** A stand-in for mysql2's parser: the payload's values as text, read the plain way. */
const parser = {
  next(packet: FakePacket): unknown[] {
    const out: unknown[] = [];
    let at = packet.offset;
    while (at < packet.end) {
      const lead = packet.buffer[at] as number;
      if (lead === 0xfb) {
        out.push(null);
        at++;
        continue;
      }
      const [size, skip] = lead < 0xfb ? [lead, 1] : lead === 0xfc ? [packet.buffer.readUInt16LE(at + 1), 3] : lead === 0xfd ? [packet.buffer.readUIntLE(at + 1, 3), 4] : [packet.buffer.readUInt32LE(at + 1), 9];
      out.push(packet.buffer.toString("utf8", at + skip, at + skip + size));
      at += skip + size;
    }
    return out;
  },
};

function read(result: TextResult, row: number): (string | null)[] {
  return result.fields.map((_, f) => {
    const size = result.size(row, f);
    return size < 0 ? null : result.bytes(row).toString("utf8", result.start(row, f), result.start(row, f) + size);
  });
}

describe("TextResult", () => {
  it("finds every value of every row, whatever the form of its length", () => {
    const values = ["", "a", "x".repeat(250), "y".repeat(251), "é".repeat(40_000), "z".repeat(70_000), null, "last"];
    const rows = [values.map((v) => (v === null ? null : Buffer.from(v))), values.slice().reverse().map((v) => (v === null ? null : Buffer.from(v)))];
    const result = new TextResult();
    for (const packet of packets(rows)) result.record(packet, parser, fields(values.length), {});
    expect(result.length).toBe(2);
    expect(read(result, 0)).toEqual(values);
    expect(read(result, 1)).toEqual(values.slice().reverse());
    expect(result.values(1)).toEqual(values.slice().reverse());
    expect(result.valueBytes()).toBe(2 * values.reduce((sum, v) => sum + Math.max(1, v === null ? 0 : Buffer.byteLength(v)), 0));
  });

  it("keeps rows intact when they no longer fit one block of its memory, and after the socket's buffer is reused", () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => [Buffer.from(String(i)), Buffer.from(`row ${i} `.repeat(20))]);
    const result = new TextResult();
    for (const packet of packets(rows)) {
      result.record(packet, parser, fields(2), {});
      packet.buffer.fill(0, packet.start, packet.end);
    }
    for (let i = 0; i < rows.length; i += 499) expect(read(result, i)).toEqual([String(i), `row ${i} `.repeat(20)]);
  });

  it("hands its memory back once, and refuses reads after", () => {
    const result = new TextResult();
    for (const packet of packets([[Buffer.from("a")]])) result.record(packet, parser, fields(1), {});
    result.release();
    result.release();
    expect(() => result.bytes(0)).toThrow(/released/);
    expect(() => result.values(0)).toThrow(/released/);
    const next = new TextResult();
    for (const packet of packets([[Buffer.from("b")]])) next.record(packet, parser, fields(1), {});
    expect(read(next, 0)).toEqual(["b"]);
  });

  it("fails on a value length it cannot read, and on bytes past the row's values", () => {
    const [bad] = packets([[Buffer.from("abc")]]);
    (bad as FakePacket).buffer[(bad as FakePacket).offset] = 0xff;
    expect(() => new TextResult().record(bad as FakePacket, parser, fields(1), {})).toThrow(/unreadable value length/);
    const [long] = packets([[Buffer.from("abc"), Buffer.from("d")]]);
    expect(() => new TextResult().record(long as FakePacket, parser, fields(1), {})).toThrow(/bytes past its 1 values/);
  });
});

/** A connection whose query hands `rows` to the callback, after `hooked` of them went through the row parser hook. */
function fakeConnection(rows: (Buffer | null)[][], hooked: number, parsed: unknown[][]): Connection {
  return {
    query(_options: unknown, callback: (error: Error | null, rows: unknown[]) => void) {
      const query: { _rowParser?: { next(p: unknown, f: unknown, o: unknown): unknown } } = {};
      setImmediate(() => {
        const out: unknown[] = [];
        for (const packet of packets(rows).slice(0, hooked)) out.push(query._rowParser?.next(packet, fields(rows[0]?.length ?? 0), {}));
        callback(null, [...out, ...parsed.slice(hooked)]);
      });
      return query;
    },
  } as unknown as Connection;
}

describe("queryText", () => {
  const rows = [[Buffer.from("1"), Buffer.from("a")], [Buffer.from("2"), null]];

  it("keeps the rows as bytes when they come through the hook", async () => {
    const result = await queryText(fakeConnection(rows, 2, []), "SELECT");
    expect(result.parsed).toBeNull();
    expect([read(result, 0), read(result, 1)]).toEqual([["1", "a"], ["2", null]]);
  });

  it("holds mysql2's values when mysql2 parsed the rows itself", async () => {
    const parsed = [[1, "a"], [2, null]];
    const result = await queryText(fakeConnection(rows, 0, parsed), "SELECT");
    expect(result.length).toBe(2);
    expect(result.values(1)).toEqual([2, null]);
    expect(result.valueBytes()).toBe(8 + 1 + 8 + 1);
  });

  it("fails when only some rows came through the hook", async () => {
    await expect(queryText(fakeConnection(rows, 1, [[1, "a"], [2, null]]), "SELECT")).rejects.toThrow(/1 of 2 rows past the byte reader/);
  });
});
