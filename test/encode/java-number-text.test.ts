// Java's Double.toString / Float.toString outputs (JDK 19+), which canal writes for FLOAT/DOUBLE.
import { describe, expect, it } from "vitest";
import { javaDoubleText, javaFloatText, shortestFloatText } from "../../src/runtime/encode/java-number-text.js";

describe("Java number text", () => {
  it.each([
    [0, "0.0"], [-0, "-0.0"], [1, "1.0"], [100, "100.0"], [-12.5, "-12.5"], [0.001, "0.001"], [1e-4, "1.0E-4"],
    [9999999, "9999999.0"], [1e7, "1.0E7"], [123456789, "1.23456789E8"], [1.7976931348623157e308, "1.7976931348623157E308"],
    [4.9e-324, "4.9E-324"], [0.1, "0.1"], [2 ** 53 + 2, "9.007199254740994E15"],
  ])("double %s → %s", (value, text) => expect(javaDoubleText(value)).toBe(text));

  it.each([
    [Math.fround(0.1), "0.1"], [Math.fround(3.1415927), "3.1415927"], [3.4028234663852886e38, "3.4028235E38"],
    [Math.fround(1.17549435e-38), "1.1754944E-38"], [1.401298464324817e-45, "1.4E-45"], [Math.fround(16777216), "1.6777216E7"], [Math.fround(-1.5), "-1.5"], [-0, "-0.0"],
  ])("float %s → %s", (value, text) => expect(javaFloatText(value)).toBe(text));

  it("keeps the sign of a FLOAT negative zero in its shortest text", () => {
    expect(Object.is(Number(shortestFloatText(-0)), -0)).toBe(true);
  });
});
