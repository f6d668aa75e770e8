import { describe, expect, it } from "vitest";
import { CHUNK_BYTES, ChunkSizer } from "../../src/runtime/snapshot/chunk-sizer.js";

const MiB = 1024 * 1024;

describe("chunk sizer", () => {
  it("asks for chunk_size rows while it knows nothing of the rows' width", () => {
    expect(new ChunkSizer(1000, { rows: 0, rowBytes: 0 }).next()).toBe(1000);
  });

  it("sizes the first chunk by the server's estimate of a wide table", () => {
    // 10,000 rows of 1 MB: a chunk of 1,000 would hold a gigabyte.
    expect(new ChunkSizer(1000, { rows: 10_000, rowBytes: MiB }).next()).toBe(CHUNK_BYTES / MiB);
  });

  it("ignores the estimate of a table whose whole data fits in one chunk's bytes", () => {
    // InnoDB reports a page per row for a table it sampled with one row.
    expect(new ChunkSizer(1000, { rows: 1, rowBytes: 16_384 }).next()).toBe(1000);
  });

  it("sizes the next chunks by the bytes of the chunk before, never beyond chunk_size nor below one row", () => {
    const sizer = new ChunkSizer(1000, { rows: 0, rowBytes: 0 }, 8 * MiB);
    sizer.observe(1000, 1000 * 64 * 1024);
    expect(sizer.next()).toBe(128);
    sizer.observe(128, 128 * 100);
    expect(sizer.next()).toBe(1000);
    sizer.observe(2, 2 * 20 * MiB);
    expect(sizer.next()).toBe(1);
    sizer.observe(0, 0);
    expect(sizer.next()).toBe(1);
  });
});
