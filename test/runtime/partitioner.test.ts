import { describe, expect, it } from "vitest";
import { ddlPartition, javaStringHashCode, keyText, partitionForHash, rowPartitioner } from "../../src/runtime/sink/partitioner.js";
import { column, orders, table } from "./fixtures.js";

/** Independent reference: Java's s[0]*31^(n-1) + … + s[n-1] computed exactly, then wrapped to int32. */
function referenceHash(text: string): number {
  let sum = 0n;
  for (let i = 0; i < text.length; i++) sum = sum * 31n + BigInt(text.charCodeAt(i));
  return Number(BigInt.asIntN(32, sum));
}

describe("javaStringHashCode", () => {
  it("matches values Java prints for String.hashCode()", () => {
    expect(javaStringHashCode("")).toBe(0);
    expect(javaStringHashCode("a")).toBe(97);
    expect(javaStringHashCode("abc")).toBe(96354);
    expect(javaStringHashCode("hello")).toBe(99162322);
    expect(javaStringHashCode("Aa")).toBe(2112);
    expect(javaStringHashCode("BB")).toBe(2112);
    expect(javaStringHashCode("Hello World")).toBe(-862545276);
    expect(javaStringHashCode("polygenelubricants")).toBe(-2147483648);
  });

  it("agrees with the exact polynomial for non-ASCII and surrogate pairs", () => {
    for (const text of ["shop.orders", "数据库.表", "😀emoji", "a|b|c", "x".repeat(1000)]) expect(javaStringHashCode(text)).toBe(referenceHash(text));
  });
});

describe("partitionForHash", () => {
  it("is Java's Math.abs(h % n), including Integer.MIN_VALUE", () => {
    expect(partitionForHash(-2147483648, 10)).toBe(8);
    expect(partitionForHash(-862545276, 7)).toBe(Math.abs(-862545276 % 7));
    expect(partitionForHash(96354, 1)).toBe(0);
    expect(partitionForHash(-1, 3)).toBe(1);
  });
});

describe("rowPartitioner", () => {
  const row = [101n, "NEW", "25.00", null, "2024-05-01 10:00:00.123"];

  it("puts everything on partition 0 for partition-zero", () => {
    expect(rowPartitioner({ policy: "partition-zero" }, orders)(row, 12)).toBe(0);
  });

  it("hashes database.table for table-hash", () => {
    const expected = Math.abs(referenceHash("shop.orders") % 12);
    expect(rowPartitioner({ policy: "table-hash" }, orders)(row, 12)).toBe(expected);
  });

  it("hashes the primary key text for primary-key-hash", () => {
    expect(rowPartitioner({ policy: "primary-key-hash" }, orders)(row, 12)).toBe(Math.abs(referenceHash("101") % 12));
  });

  it("joins composite keys with |, hashes the message key's columns only, else partition 0", () => {
    const composite = table("d", "t", [column("a", "bigint"), column("b", "varchar")], ["a", "b"]);
    expect(rowPartitioner({ policy: "primary-key-hash" }, composite)([7n, "x"], 5)).toBe(Math.abs(referenceHash("7|x") % 5));
    // A unique key the server did not take as its primary key (nullable, say) identifies no row.
    const unique = table("d", "t", [column("a", "bigint"), column("email", "varchar")], [], { uk_email: ["email"] });
    expect(rowPartitioner({ policy: "primary-key-hash" }, unique)([1n, "a@b"], 5)).toBe(0);
    const keyless = table("d", "t", [column("a", "bigint")]);
    expect(rowPartitioner({ policy: "primary-key-hash" }, keyless)([123456n], 5)).toBe(0);
  });

  it("hashes named columns for columns-hash, by target or source name", () => {
    const renamed = table("d", "t", [column("tenant", "varchar"), column("id", "bigint")], ["id"]);
    const byTarget = rowPartitioner({ policy: "columns-hash", columns: ["tenant"] }, renamed);
    expect(byTarget(["acme", 1n], 9)).toBe(Math.abs(referenceHash("acme") % 9));
    const bySource = rowPartitioner({ policy: "columns-hash", columns: ["tenant_id"] }, renamed, ["tenant_id", "id"]);
    expect(bySource(["acme", 1n], 9)).toBe(Math.abs(referenceHash("acme") % 9));
  });

  it("renders key values losslessly", () => {
    expect(keyText(null)).toBe("");
    expect(keyText(18446744073709551615n)).toBe("18446744073709551615");
    expect(keyText(new Uint8Array([0x41, 0xff]))).toBe("A\u00ff");
    // ISO-8859-1 (Java's ISO_8859_1), not windows-1252: 0x80 is U+0080, not the euro sign.
    expect(keyText(new Uint8Array([0x80, 0x9d]))).toBe("\u0080\u009d");
    expect(keyText({ kind: "timestamp", epochSeconds: 1700000000, micros: 5 })).toBe("1700000000.000005");
  });
});

describe("ddlPartition", () => {
  it("follows DTS: table partition under table-hash, else 0", () => {
    expect(ddlPartition({ policy: "table-hash" }, "shop", "orders", 12)).toBe(Math.abs(referenceHash("shop.orders") % 12));
    expect(ddlPartition({ policy: "table-hash" }, "shop", "", 12)).toBe(0);
    expect(ddlPartition({ policy: "primary-key-hash" }, "shop", "orders", 12)).toBe(0);
    expect(ddlPartition({ policy: "partition-zero" }, "shop", "orders", 12)).toBe(0);
  });
});
