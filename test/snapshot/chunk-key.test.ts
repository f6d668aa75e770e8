import { describe, expect, it } from "vitest";
import { chooseChunkKey, compareLocal, decodeKey, encodeKey, keyOf, sqlLiteral, type Key } from "../../src/runtime/snapshot/chunk-key.js";
import { afterKeyCondition, chunkQuery } from "../../src/runtime/snapshot/chunk-query.js";
import { column, table } from "../runtime/fixtures.js";

const escape = (text: string) => `'${text.replace(/'/g, "''")}'`;

describe("chooseChunkKey", () => {
  it("takes the primary key", () => {
    const t = table("d", "t", [column("a", "varchar"), column("id", "bigint")], ["id"]);
    const key = chooseChunkKey(t, { a: "utf8mb4_general_ci" });
    expect(key?.indexName).toBe("PRIMARY");
    expect(key?.columns.map((c) => [c.column.name, c.index, c.family])).toEqual([["id", 1, "integer"]]);
  });

  it("falls back to a unique key of NOT NULL columns, skipping nullable ones", () => {
    const t = table("d", "t", [column("a", "bigint"), column("b", "varchar", { nullable: false })], [], { a_nullable: ["a"], b_unique: ["b"] });
    const key = chooseChunkKey(t, { b: "utf8mb4_bin" });
    expect(key?.indexName).toBe("b_unique");
    expect(key?.columns[0]?.collation).toBe("utf8mb4_bin");
  });

  it("gives up on tables without a usable key and on keys JavaScript cannot order", () => {
    expect(chooseChunkKey(table("d", "t", [column("a", "bigint")]), {})).toBeNull();
    expect(chooseChunkKey(table("d", "t", [column("f", "float")], ["f"]), {})).toBeNull();
    expect(chooseChunkKey(table("d", "t", [column("e", "enum")], ["e"]), {})).toBeNull();
  });

  it("reads a key column's collation by own member only, whatever its name", () => {
    const t = table("d", "t", [column("constructor", "varchar")], ["constructor"]);
    expect(chooseChunkKey(t, {})).toBeNull();
    expect(chooseChunkKey(t, Object.fromEntries([["constructor", "utf8mb4_bin"]]))?.columns[0]?.collation).toBe("utf8mb4_bin");
  });
});

describe("keys the copy cannot page through", () => {
  it("reads a table in one pass when a text key column has no collation (MariaDB's UUID, INET4, INET6)", () => {
    // The server sorts these its own way: ffffffff-0000-1000-… first, version-1 UUIDs by time.
    const uuid = table("d", "t", [column("k", "uuid"), column("v", "int")], ["k"]);
    expect(chooseChunkKey(uuid, { k: null })).toBeNull();
    const keyed = table("d", "t", [column("k", "uuid"), column("n", "int", { nullable: false })], ["k"]);
    keyed.uniqueKeys = { by_n: ["n"] };
    expect(chooseChunkKey(keyed, { k: null })?.indexName).toBe("by_n");
  });
});

describe("key values", () => {
  it("round-trip through the checkpoint encoding", () => {
    const key: Key = [12345678901234567890n, "12.50", "a:b", new Uint8Array([0, 255]), { kind: "timestamp", epochSeconds: 1700000000, micros: 12 }, null, 2024];
    expect(decodeKey(encodeKey(key))).toEqual(key);
    expect(JSON.parse(JSON.stringify(encodeKey(key)))).toEqual(encodeKey(key));
  });

  it("compare exactly per family", () => {
    const t = table("d", "t", [column("i", "bigint"), column("m", "decimal"), column("tm", "time"), column("ts", "timestamp"), column("b", "varbinary"), column("s", "varchar")], ["i", "m", "tm", "ts", "b", "s"]);
    const key = chooseChunkKey(t, { s: "utf8mb4_general_ci" });
    const [i, m, tm, ts, b, s] = key?.columns ?? [];
    expect(compareLocal(9007199254740993n, 9007199254740992n, i!)).toBe(1);
    expect(compareLocal("10.5", "9.75", m!)).toBe(1);
    expect(compareLocal("-1.0", "-0.5", m!)).toBe(-1);
    expect(compareLocal("100:00:00", "99:59:59", tm!)).toBe(1);
    expect(compareLocal("-01:00:00", "00:00:01", tm!)).toBe(-1);
    expect(compareLocal({ kind: "timestamp", epochSeconds: 5, micros: 2 }, { kind: "timestamp", epochSeconds: 5, micros: 1 }, ts!)).toBe(1);
    expect(compareLocal(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]), b!)).toBe(-1);
    expect(compareLocal("same", "same", s!)).toBe(0);
    expect(compareLocal("a", "B", s!)).toBeNull();
  });

  it("extracts keys from images in key order", () => {
    const t = table("d", "t", [column("x", "varchar"), column("b", "bigint"), column("a", "bigint")], ["a", "b"]);
    const key = chooseChunkKey(t, {})!;
    expect(keyOf(["x", 2n, 1n], key)).toEqual([1n, 2n]);
  });
});

describe("chunk SQL", () => {
  it("pages a single-column key", () => {
    const t = table("shop", "orders", [column("id", "bigint"), column("note", "varchar")], ["id"]);
    const key = chooseChunkKey(t, {})!;
    expect(chunkQuery(t, key, null, 100, escape)).toBe("SELECT `id`, `note` FROM `shop`.`orders` ORDER BY `shop`.`orders`.`id` LIMIT 100");
    expect(chunkQuery(t, key, [42n], 100, escape)).toBe("SELECT `id`, `note` FROM `shop`.`orders` WHERE `id` > 42 ORDER BY `shop`.`orders`.`id` LIMIT 100");
  });

  it("reads UCS-2 text as its bytes, ordered by the column itself", () => {
    const t = table("d", "t", [column("k", "varchar", { charset: "ucs2" }), column("v", "varchar", { charset: "ucs2" })], ["k"]);
    const key = chooseChunkKey(t, { k: "ucs2_general_ci" })!;
    expect(chunkQuery(t, key, ["a"], 10, escape)).toBe("SELECT CAST(`k` AS BINARY) AS `k`, CAST(`v` AS BINARY) AS `v` FROM `d`.`t` WHERE `k` > 'a' ORDER BY `d`.`t`.`k` LIMIT 10");
  });

  it("pages a composite key with a leading range bound", () => {
    const t = table("d", "t", [column("a", "varchar"), column("b", "bigint"), column("c", "datetime")], ["a", "b", "c"]);
    const key = chooseChunkKey(t, { a: "utf8mb4_general_ci" })!;
    expect(afterKeyCondition(key, ["it's", 7n, "2024-01-02 03:04:05"], escape)).toBe(
      "`a` >= 'it''s' AND ((`a` > 'it''s') OR (`a` = 'it''s' AND `b` > 7) OR (`a` = 'it''s' AND `b` = 7 AND `c` > '2024-01-02 03:04:05'))",
    );
  });

  it("writes timestamps in UTC and bytes as hex", () => {
    const t = table("d", "t", [column("ts", "timestamp"), column("b", "varbinary", { charset: "binary" })], ["ts", "b"]);
    const key = chooseChunkKey(t, {})!;
    expect(sqlLiteral({ kind: "timestamp", epochSeconds: 0, micros: 0 }, key.columns[0]!, escape)).toBe("'0000-00-00 00:00:00.000000'");
    expect(sqlLiteral({ kind: "timestamp", epochSeconds: 86400, micros: 5 }, key.columns[0]!, escape)).toBe("'1970-01-02 00:00:00.000005'");
    expect(sqlLiteral(new Uint8Array([0xab, 1]), key.columns[1]!, escape)).toBe("X'ab01'");
  });
});
