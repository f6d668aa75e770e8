// MySQL text-protocol row packets built by hand (a 4-byte header, then each value length-coded),
// laid out one after the other in one buffer as one socket read hands them over: the input of
// bench/snapshot-text.ts and of the byte reader's tests.

/** A value with its length-coded length in front; NULL is the single byte 0xfb. */
export function lengthCoded(value: Buffer | null): Buffer {
  if (value === null) return Buffer.from([0xfb]);
  const n = value.length;
  let head: Buffer;
  if (n < 0xfb) head = Buffer.from([n]);
  else if (n < 0x10000) head = Buffer.from([0xfc, n & 0xff, n >> 8]);
  else if (n < 0x1000000) head = Buffer.from([0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16]);
  else {
    head = Buffer.alloc(9);
    head[0] = 0xfe;
    head.writeUInt32LE(n, 1);
  }
  return Buffer.concat([head, value]);
}

export interface RowPackets {
  buffer: Buffer;
  /** Each row packet's start (its header) and end in `buffer`. */
  bounds: [number, number][];
}

/** The rows' packets in one buffer, after `lead` bytes of something else. */
export function rowPackets(rows: readonly (readonly (Buffer | null)[])[], lead = 0): RowPackets {
  const parts: Buffer[] = [Buffer.alloc(lead, 0xee)];
  const bounds: [number, number][] = [];
  let at = lead;
  for (const row of rows) {
    const payload = Buffer.concat(row.map(lengthCoded));
    const header = Buffer.alloc(4);
    header.writeUIntLE(payload.length, 0, 3);
    parts.push(header, payload);
    bounds.push([at, at + 4 + payload.length]);
    at += 4 + payload.length;
  }
  return { buffer: Buffer.concat(parts), bounds };
}
