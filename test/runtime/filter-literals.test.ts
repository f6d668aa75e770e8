// A YEAR column against number and string literals, and an integer column against a double or a
// string with an exponent: every expectation was checked against MariaDB 10.11 with the same
// condition run as a SELECT over the same values.
import { describe, expect, it } from "vitest";
import type { ColumnInfo, ColumnValue } from "../../src/runtime/change-event.js";
import { zoneClock } from "../../src/runtime/encode/time-zone.js";
import { compileFilter } from "../../src/runtime/select/filter.js";
import { parseFilter } from "../../src/compiler/filter/parser.js";
import { column, table } from "./fixtures.js";

function passing(v: ColumnInfo, condition: string, values: ColumnValue[]): ColumnValue[] {
  const parsed = parseFilter(condition);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const test = compileFilter(parsed.expr, table("d", "t", [{ ...v, name: "v" }]), { zone: zoneClock("+00:00") });
  return values.filter((value) => test([value]) === true);
}

describe("YEAR against a literal", () => {
  const year = column("v", "year", { charset: null });
  // 0 is the zero year 0000.
  const years = [2024, 2000, 0, 1970, 1901, 2155, 2069, 1999, 2025, null];
  const where = (condition: string) => passing(year, condition, years);

  it("reads 1–69 as 2001–2069 and 70–99 as 1970–1999, numbers and strings alike", () => {
    expect(where("v = 24")).toEqual([2024]);
    expect(where("v < '25'")).toEqual([2024, 2000, 0, 1970, 1901, 1999]);
    expect(where("v != 24")).toEqual([2000, 0, 1970, 1901, 2155, 2069, 1999, 2025]);
    expect(where("v = 70")).toEqual([1970]);
    expect(where("v = '70'")).toEqual([1970]);
    expect(where("v > 69")).toEqual([2155]);
    expect(where("v = '69'")).toEqual([2069]);
    expect(where("v = 99")).toEqual([1999]);
    expect(where("v BETWEEN 20 AND 30")).toEqual([2024, 2025]);
    expect(where("v IN (24, 2000)")).toEqual([2024, 2000]);
    expect(where("v NOT IN (24)")).toEqual([2000, 0, 1970, 1901, 2155, 2069, 1999, 2025]);
    expect(where("v = 2024")).toEqual([2024]);
  });

  it("reads the number 0 as 0000, and a zero string as 2000 unless written in four bytes", () => {
    expect(where("v = 0")).toEqual([0]);
    expect(where("v = 0e0")).toEqual([0]);
    expect(where("v = '0'")).toEqual([2000]);
    expect(where("v = '00'")).toEqual([2000]);
    expect(where("v = '000'")).toEqual([2000]);
    expect(where("v = '0000'")).toEqual([0]);
    expect(where("v = ' 000'")).toEqual([0]);
    expect(where("v = '0000abc'")).toEqual([2000]);
    expect(where("v > '0'")).toEqual([2024, 2155, 2069, 2025]);
  });

  it("rounds a decimal and a string half up, and truncates a double", () => {
    expect(where("v = 24.0")).toEqual([2024]);
    expect(where("v = 24.5")).toEqual([2025]);
    expect(where("v = '24.5'")).toEqual([2025]);
    expect(where("v = 69.5")).toEqual([1970]);
    expect(where("v = 24.9e0")).toEqual([2024]);
    expect(where("v = 0.4")).toEqual([0]);
    expect(where("v = '24abc'")).toEqual([2024]);
    expect(where("v = '2.45e1'")).toEqual([2025]);
  });

  it("compares the literal as it is when it is no year: negative, 100–1900, above 2155, no digits", () => {
    expect(where("v < 100")).toEqual([0]);
    expect(where("v = 999")).toEqual([]);
    expect(where("v = '-24'")).toEqual([]);
    expect(where("v = -0.4")).toEqual([]);
    expect(where("v = 'abc'")).toEqual([0]);
    expect(where("v > 'abc'")).toEqual([2024, 2000, 1970, 1901, 2155, 2069, 1999, 2025]);
    expect(where("v = 99.5")).toEqual([]);
    expect(where("v < 1e30")).toEqual(years.slice(0, -1));
  });

  it("reads each BETWEEN bound and IN member as a year of its own", () => {
    expect(where("v BETWEEN '0' AND 30")).toEqual([2024, 2000, 2025]);
    expect(where("v BETWEEN 0 AND '0'")).toEqual([2000, 0, 1970, 1901, 1999]);
    expect(where("v IN ('abc', 24)")).toEqual([2024, 0]);
  });
});

describe("an integer column against a double or a string with an exponent", () => {
  const big = column("v", "bigint");
  const values = [9007199254740992n, 9007199254740993n, 9223372036854775807n, 9223372036854775806n, 2n, -9223372036854775808n];

  it("turns an integral double into the integer it is and compares exactly", () => {
    expect(passing(big, "v = 9007199254740993e0", values)).toEqual([9007199254740992n]);
    expect(passing(big, "v > 9007199254740992e0", values)).toEqual([9007199254740993n, 9223372036854775807n, 9223372036854775806n]);
    expect(passing(big, "v = 9223372036854775808e0", values)).toEqual([9223372036854775807n]);
    expect(passing(big, "v = -9223372036854775809e0", values)).toEqual([-9223372036854775808n]);
    expect(passing(big, "v NOT IN (9007199254740993e0)", values)).toHaveLength(5);
  });

  it("compares doubles for a fraction or beyond an unsigned BIGINT's range", () => {
    expect(passing(big, "v < 2.5e0", values)).toEqual([2n, -9223372036854775808n]);
    expect(passing(big, "v = 1e19", values)).toEqual([]);
    const unsigned = column("v", "bigint", { unsigned: true });
    const near = [18446744073709551615n, 18446744073709551614n, 18446744073709550000n, 0n];
    expect(passing(unsigned, "v = 18446744073709551616e0", near)).toEqual([18446744073709551615n, 18446744073709551614n]);
    expect(passing(unsigned, "v = -0e0", near)).toEqual([0n]);
  });

  it("reads a string's numeric prefix exactly, exponent and trailing text included", () => {
    expect(passing(big, "v = '9007199254740993e0'", values)).toEqual([9007199254740993n]);
    expect(passing(big, "v = '9007199254740993abc'", values)).toEqual([9007199254740993n]);
    expect(passing(big, "v = '9007199254740992.5'", values)).toEqual([]);
    const decimal = column("v", "decimal", { charset: null });
    expect(passing(decimal, "v = '1.0000000000000000001e-1'", ["0.10000000000000000000", "0.10000000000000000001"])).toEqual(["0.10000000000000000001"]);
  });
});

describe("a SET declaring the label '' against a string", () => {
  // Values in canonical text (set-text.ts): ',é' holds '' and 'é' (3), which the server shows as 'é'.
  const set = column("v", "set", { labels: ["", "é", "ü"] });
  const values = [",é", "é", ",", "", "é,ü"];

  it("compares the server's text, without the lead that marks ''", () => {
    expect(passing(set, "v = 'é'", values)).toEqual([",é", "é"]);
    expect(passing(set, "v = ''", values)).toEqual([",", ""]);
    expect(passing(set, "v = 3", values)).toEqual([",é"]);
  });
});
