import { describe, expect, it } from "vitest";
import type { FilterExpr } from "../../src/generated/plan.js";
import { zoneClock } from "../../src/runtime/encode/time-zone.js";
import { compareDecimalText, compileFilter } from "../../src/runtime/select/filter.js";
import { applyFilter } from "../../src/runtime/select/table-route.js";
import { column, orders, table } from "./fixtures.js";

const utc = { zone: zoneClock("UTC") };
const row = (id: bigint, status: string | null, amount: string | null, note: string | null = null, created = "2024-05-01 10:00:00.000") => [id, status, amount, note, created];
const evaluate = (expr: FilterExpr, image: unknown[]) => compileFilter(expr, orders, utc)(image as never);

describe("compileFilter", () => {
  it("compares integers and decimals exactly", () => {
    expect(evaluate({ op: ">", column: "id", value: { number: "100" } }, row(101n, "NEW", "1.00"))).toBe(true);
    expect(evaluate({ op: "=", column: "amount", value: { number: "25" } }, row(1n, "NEW", "25.00"))).toBe(true);
    expect(evaluate({ op: "<", column: "amount", value: { number: "25.001" } }, row(1n, "NEW", "25.00"))).toBe(true);
    expect(evaluate({ op: ">", column: "id", value: { number: "9007199254740993" } }, row(9007199254740994n, "x", null))).toBe(true);
    expect(evaluate({ op: "=", column: "id", value: { string: "101" } }, row(101n, "x", null))).toBe(true);
  });

  it("compares an integer the same whether a reader made it a number or a bigint", () => {
    // The initial sync keeps exact integers as numbers; the literal rounds to the value as a double.
    const literals = ["9007199254740990.9", "9007199254740991", "9007199254740991.1", "-3.5", "100", "1e3"];
    for (const value of [9007199254740991, -3, 100, 1000]) {
      for (const text of literals) {
        for (const op of ["<", "=", ">"] as const) {
          const expr: FilterExpr = { op, column: "id", value: { number: text } };
          expect(evaluate(expr, row(value as unknown as bigint, "x", null)), `${value} ${op} ${text}`).toBe(evaluate(expr, row(BigInt(value), "x", null)));
          const asString: FilterExpr = { op, column: "id", value: { string: text } };
          expect(evaluate(asString, row(value as unknown as bigint, "x", null)), `${value} ${op} '${text}'`).toBe(evaluate(asString, row(BigInt(value), "x", null)));
        }
      }
    }
  });

  it("uses three-valued logic for NULL", () => {
    const nullAmount = row(1n, "NEW", null);
    expect(evaluate({ op: "=", column: "amount", value: { number: "1" } }, nullAmount)).toBe(null);
    expect(evaluate({ op: "not", arg: { op: "=", column: "amount", value: { number: "1" } } }, nullAmount)).toBe(null);
    expect(evaluate({ op: "or", args: [{ op: "=", column: "amount", value: { number: "1" } }, { op: "=", column: "status", value: { string: "NEW" } }] }, nullAmount)).toBe(true);
    expect(evaluate({ op: "and", args: [{ op: "=", column: "amount", value: { number: "1" } }, { op: "=", column: "status", value: { string: "OLD" } }] }, nullAmount)).toBe(false);
    expect(evaluate({ op: "and", args: [{ op: "=", column: "amount", value: { number: "1" } }, { op: "=", column: "status", value: { string: "NEW" } }] }, nullAmount)).toBe(null);
    expect(evaluate({ op: "=", column: "status", value: null }, nullAmount)).toBe(null);
    expect(evaluate({ op: "is-null", column: "amount", negated: false }, nullAmount)).toBe(true);
    expect(evaluate({ op: "is-null", column: "amount", negated: true }, nullAmount)).toBe(false);
  });

  it("handles IN with NULLs the SQL way", () => {
    const r = row(3n, "NEW", null);
    expect(evaluate({ op: "in", column: "id", values: [{ number: "1" }, { number: "3" }], negated: false }, r)).toBe(true);
    expect(evaluate({ op: "in", column: "id", values: [{ number: "1" }, null], negated: false }, r)).toBe(null);
    expect(evaluate({ op: "in", column: "id", values: [{ number: "1" }, null], negated: true }, r)).toBe(null);
    expect(evaluate({ op: "in", column: "id", values: [{ number: "1" }, { number: "2" }], negated: true }, r)).toBe(true);
  });

  it("evaluates BETWEEN and LIKE", () => {
    const r = row(5n, "PAID_LATE", "10.50");
    expect(evaluate({ op: "between", column: "amount", low: { number: "10.5" }, high: { number: "11" }, negated: false }, r)).toBe(true);
    expect(evaluate({ op: "between", column: "id", low: { number: "6" }, high: { number: "9" }, negated: true }, r)).toBe(true);
    expect(evaluate({ op: "like", column: "status", pattern: "PAID%", negated: false }, r)).toBe(true);
    expect(evaluate({ op: "like", column: "status", pattern: "PAID\\_L_TE", negated: false }, r)).toBe(true);
    expect(evaluate({ op: "like", column: "status", pattern: "P.ID%", negated: false }, r)).toBe(false);
    expect(evaluate({ op: "like", column: "note", pattern: "%", negated: false }, r)).toBe(null);
  });

  it("compares datetime text ignoring trailing fractional zeros, and TIMESTAMP instants via the zone", () => {
    expect(evaluate({ op: "=", column: "created_at", value: { string: "2024-05-01 10:00:00" } }, row(1n, "x", null))).toBe(true);
    const t = table("d", "t", [column("ts", "timestamp")]);
    const instant = { kind: "timestamp", epochSeconds: Date.UTC(2024, 0, 1, 0, 0, 0) / 1000, micros: 0 };
    expect(compileFilter({ op: "=", column: "ts", value: { string: "2024-01-01 08:00:00" } }, t, { zone: zoneClock("+08:00") })([instant as never])).toBe(true);
    expect(compileFilter({ op: ">", column: "ts", value: { string: "2024-01-01 00:00:00" } }, t, utc)([instant as never])).toBe(false);
  });

  it("reads a TIMESTAMP literal at the offset in force on its own date, whatever the date now", () => {
    const t = table("d", "t", [column("ts", "timestamp")]);
    const berlin = { zone: zoneClock("Europe/Berlin") };
    const at = (iso: string) => [{ kind: "timestamp", epochSeconds: Date.parse(iso) / 1000, micros: 0 } as never];
    const fromJuly = compileFilter({ op: ">=", column: "ts", value: { string: "2024-07-01 12:00:00" } }, t, berlin);
    expect(fromJuly(at("2024-07-01T10:00:00Z"))).toBe(true); // 12:00 CEST (+02:00)
    expect(fromJuly(at("2024-07-01T09:59:59Z"))).toBe(false);
    const december = compileFilter({ op: "=", column: "ts", value: { string: "2024-12-01 12:00:00" } }, t, berlin);
    expect(december(at("2024-12-01T11:00:00Z"))).toBe(true); // 12:00 CET (+01:00)
  });

  it("converts wall-clock times in a DST gap or fold as MySQL does", () => {
    const t = table("d", "t", [column("ts", "timestamp")]);
    const berlin = { zone: zoneClock("Europe/Berlin") };
    const equals = (text: string, iso: string) => compileFilter({ op: "=", column: "ts", value: { string: text } }, t, berlin)([{ kind: "timestamp", epochSeconds: Date.parse(iso) / 1000, micros: 0 } as never]);
    // 02:30 on 2024-03-31 never happened (02:00 CET became 03:00 CEST): the gap's start.
    expect(equals("2024-03-31 02:30:00", "2024-03-31T01:00:00Z")).toBe(true);
    // 02:30 on 2024-10-27 happened twice (CEST, then CET): the earlier.
    expect(equals("2024-10-27 02:30:00", "2024-10-27T00:30:00Z")).toBe(true);
    expect(equals("2024-10-27 03:00:00", "2024-10-27T02:00:00Z")).toBe(true);
  });

  it("finds columns in any case, as MySQL does", () => {
    expect(evaluate({ op: "=", column: "STATUS", value: { string: "NEW" } }, row(1n, "NEW", null))).toBe(true);
  });

  it("names the missing column in its error", () => {
    expect(() => compileFilter({ op: "=", column: "nope", value: null }, orders, utc, "row filter at t.dts:3:5")).toThrow(/^row filter at t\.dts:3:5 names column nope, which table shop\.orders does not have$/);
  });
});

describe("compareDecimalText", () => {
  it("orders signed decimals exactly", () => {
    expect(compareDecimalText("-0.00", "0")).toBe(0);
    expect(compareDecimalText("-1.5", "-1.25")).toBe(-1);
    expect(compareDecimalText("12345678901234567890.1", "12345678901234567890.09")).toBe(1);
    expect(compareDecimalText("007", "7.000")).toBe(0);
    expect(compareDecimalText("1e3", "1000")).toBe(null);
  });
});

describe("applyFilter (DTS update semantics)", () => {
  const filter = compileFilter({ op: "=", column: "status", value: { string: "PAID" } }, orders, utc);
  const paid = row(1n, "PAID", "1.00");
  const fresh = row(1n, "NEW", "1.00");

  it("keeps inserts and deletes whose row passes", () => {
    expect(applyFilter(filter, "insert", null, paid)?.operation).toBe("insert");
    expect(applyFilter(filter, "insert", null, fresh)).toBe(null);
    expect(applyFilter(filter, "delete", paid, null)?.operation).toBe("delete");
  });

  it("turns an update leaving the filter into a delete and one entering it into an insert", () => {
    expect(applyFilter(filter, "update", paid, fresh)).toEqual({ operation: "delete", before: paid, after: null });
    expect(applyFilter(filter, "update", fresh, paid)).toEqual({ operation: "insert", before: null, after: paid });
    expect(applyFilter(filter, "update", paid, paid)?.operation).toBe("update");
    expect(applyFilter(filter, "update", fresh, fresh)).toBe(null);
  });
});
