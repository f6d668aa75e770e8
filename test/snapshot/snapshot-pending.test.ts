import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import type { Checkpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { chooseChunkKey, keyId } from "../../src/runtime/snapshot/chunk-key.js";
import { snapshotPending } from "../../src/runtime/snapshot/index.js";
import { KeyOrder } from "../../src/runtime/snapshot/key-order.js";
import { emptyProgress } from "../../src/runtime/snapshot/snapshot-progress.js";
import { column, table } from "../runtime/fixtures.js";

const pipeline = (schema: boolean, data: boolean) => ({ initialSync: { schema, data, chunkSize: 10, parallelism: 1, throttle: { rowsPerSecond: null, bytesPerSecond: null } } }) as unknown as Pipeline;
const checkpoint = (snapshot?: Checkpoint["snapshot"]): Checkpoint => ({ version: 1, pipeline: "p", position: { file: "b.000001", offset: 4, gtidSet: null }, eventTimeSeconds: 0, partitionCounts: {}, updatedAt: "", ...(snapshot ? { snapshot } : {}) });

describe("snapshotPending", () => {
  it("runs for a new pipeline with any part of the initial sync on", () => {
    expect(snapshotPending(pipeline(true, true), null)).toBe(true);
    expect(snapshotPending(pipeline(true, false), null)).toBe(true);
    expect(snapshotPending(pipeline(false, false), null)).toBe(false);
  });

  it("resumes only a snapshot the checkpoint holds unfinished", () => {
    const unfinished = emptyProgress([["d.t", 5]]);
    expect(snapshotPending(pipeline(true, true), checkpoint(unfinished))).toBe(true);
    expect(snapshotPending(pipeline(true, true), checkpoint({ ...unfinished, complete: true }))).toBe(false);
    // A pipeline that streamed without an initial sync does not start one later.
    expect(snapshotPending(pipeline(true, true), checkpoint())).toBe(false);
  });
});

describe("KeyOrder", () => {
  it("compares composite keys column by column without the server when no text is involved", async () => {
    const info = table("d", "t", [column("a", "bigint"), column("b", "decimal")], ["a", "b"]);
    const order = new KeyOrder(chooseChunkKey(info, {})!, null);
    expect(order.local).toBe(true);
    expect(await order.compareMany([[[1n, "2.5"], [1n, "10"]], [[2n, "0"], [1n, "99"]], [[3n, "1.0"], [3n, "1"]]])).toEqual([-1, 1, 0]);
  });

  it("keeps the server's answers for pairs apart even when texts hold NUL", async () => {
    const info = table("d", "t", [column("s", "varchar")], ["s"]);
    const key = chooseChunkKey(info, { s: "utf8mb4_bin" })!;
    // A stand-in server answering byte order; each pair is asked once, then cached.
    let asked = 0;
    const order = new KeyOrder(key, async (_sql, params) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < params.length; i += 2) row[`c${i / 2}`] = Math.sign(Buffer.compare(Buffer.from(params[i] as string), Buffer.from(params[i + 1] as string)));
      asked++;
      return row;
    });
    expect(await order.compare(["m\u0000z"], ["b"])).toBe(1);
    expect(await order.compare(["m"], ["z\u0000b"])).toBe(-1);
    expect(asked).toBe(2);
    expect(keyId(["a\u0000b", "c"])).not.toBe(keyId(["a", "b\u0000c"]));
  });

  it("refuses text keys without a collation", () => {
    const info = table("d", "t", [column("s", "varchar")], ["s"]);
    const key = { indexName: "PRIMARY", columns: [{ index: 0, column: info.columns[0]!, family: "text" as const, collation: null }] };
    expect(() => new KeyOrder(key, null)).toThrow(/collation/);
  });
});
