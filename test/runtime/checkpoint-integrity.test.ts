// A damaged, foreign or ambiguous checkpoint must stop the start with a message that names the
// file and says how to recover, instead of resuming from the wrong place or skipping the sync.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareBinlogFiles } from "../../src/runtime/checkpoint/binlog-order.js";
import type { Checkpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { FileCheckpointStore } from "../../src/runtime/checkpoint/file-store.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { comparePoints } from "../../src/runtime/snapshot/binlog-position.js";
import { emptyProgress, parseSnapshotTableKey, snapshotTableKey, snapshotTableNames } from "../../src/runtime/snapshot/snapshot-progress.js";
import { tableId } from "../../src/runtime/snapshot/snapshot-tables.js";
import { checkPositionAvailable } from "../../src/runtime/source/server-checks.js";

const checkpoint = (extra: Partial<Checkpoint> = {}): Checkpoint => ({
  version: 1, pipeline: "orders", position: { file: "mysql-bin.000007", offset: 1840, gtidSet: null },
  eventTimeSeconds: 1_700_000_000, partitionCounts: { "shop.changes": 3 }, updatedAt: "2026-11-23T09:00:00.000Z", ...extra,
});

/** A state folder holding `content` as the checkpoint of pipeline `orders`. */
function storeWith(content: unknown): FileCheckpointStore {
  const directory = mkdtempSync(join(tmpdir(), "dts-checkpoint-"));
  mkdirSync(join(directory, "orders"));
  writeFileSync(join(directory, "orders", "checkpoint.json"), typeof content === "string" ? content : JSON.stringify(content));
  return new FileCheckpointStore(directory, "orders");
}

function loadError(store: FileCheckpointStore): RuntimeError {
  try {
    store.load();
  } catch (error) {
    if (error instanceof RuntimeError) return error;
    throw error;
  }
  throw new Error("the checkpoint was accepted");
}

describe("checkpoint file", () => {
  it("loads a good checkpoint, snapshot progress included", () => {
    const good = checkpoint({ snapshot: emptyProgress([["shop.orders", 10]]) });
    expect(storeWith(good).load()).toEqual(good);
  });

  it("refuses the checkpoint of another pipeline, naming both and the file", () => {
    const store = storeWith(checkpoint({ pipeline: "billing" }));
    const error = loadError(store);
    expect(error.code).toBe("checkpoint");
    expect(error.message).toBe(`checkpoint ${store.path} belongs to pipeline "billing", not to "orders"`);
    expect(error.hint).toMatch(/delete .*orders to start "orders" over/);
  });

  it("refuses a malformed snapshot field instead of skipping the initial sync", () => {
    const store = storeWith(checkpoint({ snapshot: { tables: { "shop.orders": { done: "no" } } } as never }));
    const error = loadError(store);
    expect(error.message).toContain(store.path);
    expect(error.message).toMatch(/initial-sync progress \(snapshot\) is damaged: complete and schemaDone/);
    expect(error.hint).toMatch(/delete the state folder .*orders to start pipeline "orders" over/);
  });

  it("names the damaged table entry", () => {
    const progress = emptyProgress([["shop.orders", 10]]);
    (progress.tables["shop.orders"] as { finishedUpTo: unknown }).finishedUpTo = [1, 2];
    expect(loadError(storeWith(checkpoint({ snapshot: progress }))).message).toContain('table "shop.orders": finishedUpTo must be null or a list of strings');
  });

  it("says what is wrong with text that is not a checkpoint", () => {
    expect(loadError(storeWith("{ torn")).message).toMatch(/checkpoint .*checkpoint\.json of pipeline "orders" is not valid JSON \(/);
    expect(loadError(storeWith(checkpoint({ position: { file: "b.1", offset: -3, gtidSet: null } }))).message).toMatch(/damaged: position\.offset must be a byte offset/);
    expect(loadError(storeWith({ ...checkpoint(), version: 2 })).message).toMatch(/its version is 2; this dts reads version 1/);
  });
});

describe("snapshot table identity", () => {
  it("keeps db.table for plain names and quotes names with dots or backticks", () => {
    expect(snapshotTableKey("shop", "orders")).toBe("shop.orders");
    expect(snapshotTableKey("my.shop", "orders")).toBe("`my.shop`.`orders`");
    expect(snapshotTableKey("shop", "a`b")).toBe("`shop`.`a``b`");
    expect(tableId("my.shop", "orders")).toBe("`my.shop`.`orders`");
  });

  it("reads back every key it writes, and the old form when it has one dot", () => {
    for (const [db, table] of [["shop", "orders"], ["my.shop", "orders"], ["shop", "v1.2"], ["a`b", "c.d`"], ["x", "."]] as const) {
      expect(parseSnapshotTableKey(snapshotTableKey(db, table))).toEqual([db, table]);
    }
    expect(parseSnapshotTableKey("shop.orders")).toEqual(["shop", "orders"]);
    expect(parseSnapshotTableKey("my.shop.orders")).toBeNull();
  });

  it("resumes a database whose name has a dot instead of skipping it as done", () => {
    const progress = emptyProgress([[snapshotTableKey("my.shop", "orders"), 5], [snapshotTableKey("shop", "items"), 7]]);
    expect(snapshotTableNames(progress)).toEqual([["my.shop", "orders", 5], ["shop", "items", 7]]);
  });

  it("refuses an old checkpoint whose table name cannot be split unambiguously", () => {
    const error = loadError(storeWith(checkpoint({ snapshot: emptyProgress([["my.shop.orders", 5]]) })));
    expect(error.message).toContain('table "my.shop.orders" cannot be split into database and table unambiguously');
  });
});

describe("binlog order", () => {
  it("orders files by sequence number, not as text", () => {
    expect(compareBinlogFiles("mysql-bin.999999", "mysql-bin.1000000")).toBeLessThan(0);
    expect(compareBinlogFiles("mysql-bin.1000000", "mysql-bin.999999")).toBeGreaterThan(0);
    expect(compareBinlogFiles("mysql-bin.000002", "mysql-bin.000002")).toBe(0);
    expect(comparePoints({ file: "mysql-bin.999999", offset: 900_000 }, { file: "mysql-bin.1000000", offset: 4 })).toBe(-1);
  });

  it("tells a purged binlog from one of another series", () => {
    const binlogs = [{ name: "mysql-bin.1000000", size: 100 }, { name: "mysql-bin.1000001", size: 100 }];
    expect(() => checkPositionAvailable({ file: "mysql-bin.999999", offset: 4, gtidSet: null }, binlogs)).toThrow(/older than the oldest binlog the source still has \(mysql-bin\.1000000\)/);
    expect(() => checkPositionAvailable({ file: "old-host-bin.000002", offset: 4, gtidSet: null }, binlogs)).toThrow(/which the source does not have .*was the server reset or replaced/);
  });
});
