import { describe, expect, it } from "vitest";
import { parseXaStatement, xaKey } from "../../src/runtime/source/xa-statement.js";

describe("parseXaStatement", () => {
  it("reads the canonical form servers write to the binlog", () => {
    expect(parseXaStatement("XA COMMIT X'7831',X'',1")).toEqual({ verb: "commit", id: "1:7831:", onePhase: false });
    expect(parseXaStatement("XA ROLLBACK X'7832',X'6271',7")).toEqual({ verb: "rollback", id: "7:7832:6271", onePhase: false });
    expect(parseXaStatement("XA START X'7831',X'',1")?.verb).toBe("start");
    expect(parseXaStatement("XA END X'7831',X'',1")?.verb).toBe("end");
  });

  it("names a quoted id and its hex form alike", () => {
    expect(parseXaStatement("xa commit 'x1'")?.id).toBe(parseXaStatement("XA COMMIT X'7831',X'',1")?.id);
    expect(parseXaStatement("XA COMMIT 'x1', 'b', 3")?.id).toBe(xaKey(3, Buffer.from("x1"), Buffer.from("b")));
    expect(parseXaStatement("XA COMMIT 0x7831")?.id).toBe("1:7831:");
  });

  it("recognises ONE PHASE and ignores other statements", () => {
    expect(parseXaStatement("XA COMMIT 'x1' ONE PHASE")?.onePhase).toBe(true);
    expect(parseXaStatement("XA RECOVER")).toBe(null);
    expect(parseXaStatement("COMMIT")).toBe(null);
    expect(parseXaStatement("XA COMMIT")).toBe(null);
  });

  it("matches the id zongji parses from MariaDB GTID and XA_PREPARE events", () => {
    expect(xaKey(1, Buffer.from("x1"), Buffer.alloc(0))).toBe("1:7831:");
  });
});
