// A table dropped (or renamed away) while the initial sync copies it ends its copy with a warning
// and an empty last chunk, so the sync marks it done and goes on; other failures still fail. A
// one-pass copy whose connection is lost while its result stream waits fails with that loss.
import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import type { Connection as CallbackConnection } from "mysql2";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../src/runtime/logger.js";
import { chooseChunkKey } from "../../src/runtime/snapshot/chunk-key.js";
import type { SnapshotTable } from "../../src/runtime/snapshot/snapshot-tables.js";
import { copyInChunks, copyInOnePass, type CopiedRows, type CopierDeps } from "../../src/runtime/snapshot/table-copier.js";
import { TableReconciler } from "../../src/runtime/snapshot/table-reconciler.js";
import { Throttle } from "../../src/runtime/snapshot/throttle.js";
import type { ServerDialect } from "../../src/runtime/source/server-dialect.js";
import { column, table } from "../runtime/fixtures.js";

const noSuchTable = () => Object.assign(new Error("Table 'shop.orders' doesn't exist"), { errno: 1146, code: "ER_NO_SUCH_TABLE" });

/** A connection whose table SELECTs fail with `error` and whose binlog status is b.000002:900. */
function failingConnection(error: () => Error): CallbackConnection {
  const stream = {
    destroy: () => undefined,
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error()) }),
  };
  return Object.assign(new EventEmitter(), {
    escape: (text: string) => `'${text}'`,
    query: (_options: unknown, callback?: (error: Error) => void) => {
      if (callback) setImmediate(() => callback(error()));
      return { stream: () => stream };
    },
    promise: () => ({ query: async () => [[{ File: "b.000002", Position: 900 }]] }),
  }) as unknown as CallbackConnection;
}

function copy(error: () => Error) {
  const delivered: CopiedRows[] = [];
  const warnings: [Record<string, unknown>, string][] = [];
  const log = { warn: (fields: Record<string, unknown>, msg: string) => warnings.push([fields, msg]), info: () => undefined, debug: () => undefined } as unknown as Logger;
  const deps: CopierDeps = {
    connection: failingConnection(error),
    dialect: { binlogStatus: "SHOW MASTER STATUS" } as ServerDialect,
    throttle: new Throttle({ rowsPerSecond: null, bytesPerSecond: null }),
    chunkSize: 10,
    log,
    deliver: async (rows) => void delivered.push(rows),
    capacity: async () => undefined,
    stopped: () => false,
  };
  const info = table("shop", "orders", [column("id", "int")], ["id"]);
  const snapshotTable: SnapshotTable = { id: "shop.orders", info, rule: {} as SnapshotTable["rule"], key: chooseChunkKey(info, {}), estimatedRows: 100 };
  return { deps, delivered, warnings, snapshotTable };
}

describe("a table dropped during its initial sync", () => {
  it("ends a keyed copy with a warning and an empty last chunk past the DROP", async () => {
    const { deps, delivered, warnings, snapshotTable } = copy(noSuchTable);
    const reconciler = new TableReconciler(null);
    reconciler.begin();
    await copyInChunks(snapshotTable, reconciler, null, deps);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ upper: null, last: true, highWater: { file: "b.000002", offset: 900 } });
    expect(delivered[0]?.rows.length).toBe(0);
    // The stream's changes of the table now go out as they come; none wait for a chunk.
    expect(reconciler.state).toBe("done");
    expect(warnings[0]?.[0].table).toBe("shop.orders");
    expect(warnings[0]?.[1]).toMatch(/dropped or renamed while the initial sync copied it/);
  });

  it("ends a one-pass copy the same way", async () => {
    const { deps, delivered, warnings, snapshotTable } = copy(noSuchTable);
    await copyInOnePass({ ...snapshotTable, key: null }, new TableReconciler(null), deps);
    expect(delivered.map((d) => [d.rows.length, d.last])).toEqual([[0, true]]);
    expect(warnings[0]?.[0].table).toBe("shop.orders");
  });

  it("says why a table is read in one pass, and that an interrupted copy sends its rows again", async () => {
    const { deps, warnings, snapshotTable } = copy(noSuchTable);
    const doubleKey = table("shop", "orders", [column("price", "double")], ["price"]);
    await copyInOnePass({ ...snapshotTable, info: doubleKey, key: null }, new TableReconciler(null), deps, 40);
    expect(warnings[0]?.[1]).toMatch(/key cannot be paged through exactly .*a copy interrupted by a restart starts over/);
    expect(warnings[1]).toEqual([{ table: "shop.orders", rowsSentBefore: 40 }, expect.stringMatching(/rows it sent before are sent again, under exactly-once delivery too/)]);
  });

  it("still fails on any other error", async () => {
    const denied = () => Object.assign(new Error("SELECT command denied"), { errno: 1142 });
    const { deps, snapshotTable } = copy(denied);
    await expect(copyInChunks(snapshotTable, new TableReconciler(null), null, deps)).rejects.toThrow("SELECT command denied");
  });
});

describe("a one-pass copy whose connection is lost", () => {
  it("fails with the connection's error, rather than wait for rows that never come", async () => {
    const { deps, snapshotTable } = copy(noSuchTable);
    // mysql2 reports a lost connection on the connection alone; its paused result stream stays silent.
    const silent = new Readable({ objectMode: true, read: () => undefined });
    const connection = Object.assign(new EventEmitter(), { query: () => ({ stream: () => silent }), promise: deps.connection.promise }) as unknown as CallbackConnection;
    const copying = copyInOnePass({ ...snapshotTable, key: null }, new TableReconciler(null), { ...deps, connection });
    setTimeout(() => connection.emit("error", Object.assign(new Error("Connection lost: The server closed the connection."), { code: "PROTOCOL_CONNECTION_LOST" })), 10);
    await expect(copying).rejects.toThrow("Connection lost");
  });
});
