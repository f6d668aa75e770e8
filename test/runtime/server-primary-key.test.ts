// The primary key as the server has it: what names a row in the message key, the
// primary-key-hash partition, canal pkNames and DTS pk_uk_info, in the initial sync and the
// stream alike (the binlog's table map names the same key).
import { describe, expect, it } from "vitest";
import { serverPrimaryKey, type IndexPart } from "../../src/runtime/source/server-primary-key.js";

const part = (index: string, column: string, details: Partial<IndexPart> = {}): IndexPart => ({ index, unique: true, column, nullable: false, whole: true, ...details });

describe("serverPrimaryKey", () => {
  it("is the PRIMARY KEY when there is one, wherever it is listed", () => {
    expect(serverPrimaryKey([part("a_first", "u"), part("PRIMARY", "id"), part("PRIMARY", "at")])).toEqual(["id", "at"]);
  });

  it("is otherwise the first unique key in the server's order whose columns are all NOT NULL, not the first by name", () => {
    expect(serverPrimaryKey([part("zz", "u"), part("aa", "x")])).toEqual(["u"]);
    expect(serverPrimaryKey([part("yy", "b"), part("yy", "a"), part("xx", "a")])).toEqual(["b", "a"]);
  });

  it("never takes a nullable unique key: every row holding NULL would share its key", () => {
    expect(serverPrimaryKey([part("aa", "x", { nullable: true }), part("zz", "u")])).toEqual(["u"]);
    expect(serverPrimaryKey([part("ab", "a"), part("ab", "x", { nullable: true })])).toEqual([]);
    expect(serverPrimaryKey([part("aa", "x", { nullable: true })])).toEqual([]);
  });

  it("skips keys the server does not count whole (prefixes, hashed long UNIQUEs) and non-unique indexes", () => {
    expect(serverPrimaryKey([part("p", "name", { whole: false }), part("k", "b", { unique: false }), part("q", "c")])).toEqual(["c"]);
    expect(serverPrimaryKey([part("p", "name", { whole: false }), part("k", "b", { unique: false })])).toEqual([]);
  });

  it("is empty for a table without indexes", () => {
    expect(serverPrimaryKey([])).toEqual([]);
  });
});
