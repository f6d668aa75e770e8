// canal's ENUM index and SET bitmask, the texts canal shows for those columns.
import { describe, expect, it } from "vitest";
import { canalRenderer, enumIndex, setBitmask } from "../../src/runtime/encode/canal-text.js";
import { zoneClock } from "../../src/runtime/encode/time-zone.js";
import { column } from "./helpers.js";

describe("canal ENUM and SET text", () => {
  it("gives '' the index of its label when the labels declare it, 0 (the invalid value) otherwise", () => {
    const declared = canalRenderer(column("e", "enum('a','','b')", { labels: ["a", "", "b"] }), zoneClock("UTC"));
    expect(["a", "", "b"].map(declared)).toEqual(["1", "2", "3"]);
    expect(enumIndex(["a", "b"], "")).toBe(0);
  });

  it("finds labels with 4-byte characters that information_schema shows as '?'", () => {
    // MariaDB 10.11: ENUM('a😀','','b') reads from information_schema as enum('a?','','b').
    expect(enumIndex(["a?", "", "b"], "a😀")).toBe(1);
    expect(enumIndex(["a😀", "", "b"], "a😀")).toBe(1);
    expect(enumIndex(["a?", "", "b"], "b")).toBe(3);
    expect(setBitmask(["x?", "y"], "x😀,y")).toBe(3n);
    expect(setBitmask(["x😀", "y"], "x😀")).toBe(1n);
    expect(setBitmask(["x", "y"], "z")).toBe(0n);
  });
});
