// The resume point a binlog stream reports while idle (a heartbeat): zongji's file and offset go
// with its GTID set only once the set is known to be this server's. Opened by a GTID position
// the server was not seen to hold, a heartbeat names the set alone, so a checkpoint never pairs
// this server's file and offset with transactions it has not logged.
import { EventEmitter } from "node:events";
import { MariadbGtidPosition } from "@vlasky/zongji";
import { describe, expect, it, vi } from "vitest";
import { BinlogReader, type StreamStart } from "../../src/runtime/source/binlog-reader.js";

const made = vi.hoisted(() => [] as object[]);
vi.mock("@vlasky/zongji", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@vlasky/zongji")>();
  class RecordedZongJi extends (actual.default as unknown as new (options: unknown) => object) {
    constructor(options: unknown) {
      super(options);
      made.push(this);
    }
  }
  return { ...actual, default: RecordedZongJi };
});

interface ZongjiState extends EventEmitter {
  options: { filename?: string; position?: number };
  _executedGtids: unknown;
}

/** A reader whose zongji stands at the replica's binlog end, tracking `gtidSet`. */
function readerAt(start: StreamStart): { reader: BinlogReader; zongji: ZongjiState } {
  const reader = new BinlogReader({ host: "127.0.0.1", port: 3402 }, 5001, start);
  const zongji = made.at(-1) as ZongjiState;
  zongji.options.filename = "mariadb-bin.000001";
  zongji.options.position = 330;
  zongji._executedGtids = MariadbGtidPosition.parse("0-11-1687");
  return { reader, zongji };
}

const heartbeat = { getEventName: () => "heartbeat", timestamp: 0 };

describe("the position a heartbeat reports", () => {
  it("opened by a GTID position the server was not seen to hold: the GTID set alone", () => {
    const { reader, zongji } = readerAt({ kind: "gtid", gtidSet: "0-11-1687" });
    zongji.emit("binlog", heartbeat);
    expect(reader.take()).toMatchObject([{ type: "boundary", position: { file: "", offset: 0, gtidSet: "0-11-1687" } }]);
    expect(reader.currentPosition()).toEqual({ file: "", offset: 0, gtidSet: "0-11-1687" });
  });

  it("once the server's binlog was seen to hold it, or a transaction was read: file, offset and set", () => {
    const held = readerAt({ kind: "gtid", gtidSet: "0-11-1687", heldByServer: true });
    held.zongji.emit("binlog", heartbeat);
    expect(held.reader.take()).toMatchObject([{ type: "boundary", position: { file: "mariadb-bin.000001", offset: 330, gtidSet: "0-11-1687" } }]);
    const read = readerAt({ kind: "gtid", gtidSet: "0-11-1687" });
    read.zongji.emit("binlog", { getEventName: () => "mariadbgtid", timestamp: 0, gtid: "0-12-1688", standalone: false });
    read.zongji.emit("binlog", heartbeat);
    expect(read.reader.take().at(-1)).toMatchObject({ type: "boundary", position: { file: "mariadb-bin.000001", offset: 330 } });
  });

  it("opened by file and offset: file, offset and set as before", () => {
    const { reader, zongji } = readerAt({ kind: "position", file: "mariadb-bin.000001", offset: 4 });
    zongji.emit("binlog", heartbeat);
    expect(reader.take()).toMatchObject([{ type: "boundary", position: { file: "mariadb-bin.000001", offset: 330, gtidSet: "0-11-1687" } }]);
  });
});
