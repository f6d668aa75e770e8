// The resume point just after an XA PREPARE names the prepared group's GTID, as the server's
// binlog position there does (MariaDB: BINLOG_GTID_POS; MySQL: gtid_executed), though zongji
// adds it to its own set only at the next transaction.
import type ZongJi from "@vlasky/zongji";
import { describe, expect, it } from "vitest";
import { StreamPosition, withGtid } from "../../src/runtime/source/stream-position.js";

function at(gtidSet: string | undefined, isMariaDb: boolean): StreamPosition {
  const zongji = { options: { filename: "mariadb-bin.000001", position: 1381 }, gtidSet, isMariaDb } as unknown as ZongJi;
  return new StreamPosition(zongji, { kind: "position", file: "mariadb-bin.000001", offset: 4 });
}

describe("the position after an XA PREPARE", () => {
  it("adds the prepared group's GTID to a MariaDB position, per domain", () => {
    expect(at("0-1-4", true).afterPrepare("0-1-5")).toEqual({ file: "mariadb-bin.000001", offset: 1381, gtidSet: "0-1-5" });
    expect(withGtid("0-1-4,7-2-90", "7-2-91", true)).toBe("0-1-4,7-2-91");
    expect(withGtid("0-1-4", "3-1-1", true)).toBe("0-1-4,3-1-1");
  });

  it("adds it to a MySQL GTID set, joining intervals", () => {
    const uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    expect(at(`${uuid}:1-4`, false).afterPrepare(`${uuid}:5`).gtidSet).toBe(`${uuid}:1-5`);
    expect(withGtid(`${uuid}:1-4`, `${uuid}:7`, false)).toBe(`${uuid}:1-4:7`);
  });

  it("leaves the position as it is without a GTID or a set", () => {
    expect(at("0-1-4", true).afterPrepare(undefined).gtidSet).toBe("0-1-4");
    expect(at(undefined, true).afterPrepare("0-1-5").gtidSet).toBeNull();
  });
});
