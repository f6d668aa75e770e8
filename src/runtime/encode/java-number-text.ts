// Java's Double.toString / Float.toString, which canal uses for FLOAT and DOUBLE values
// (String.valueOf). Digits are the shortest that read back to the same value (JDK 19+ rules; older JDKs
// occasionally print a longer digit string);
// plain notation for 1e-3 <= |x| < 1e7, otherwise `d.dddE±n`, always with a fraction digit.

function javaLayout(value: number, digitsText: string): string {
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  // Decompose the decimal text into its significant digits and the exponent of the first one.
  const [mantissa, exp = "0"] = digitsText.replace(/^-/, "").toLowerCase().split("e") as [string, string?];
  const [whole, fraction = ""] = mantissa.split(".") as [string, string?];
  let digits = (whole + fraction).replace(/^0+/, "");
  const exponent = Number(exp) + whole.length - 1 - ((whole + fraction).length - (whole + fraction).replace(/^0+/, "").length);
  digits = digits.replace(/0+$/, "") || "0";
  const sign = value < 0 ? "-" : "";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
    const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    return `${sign}${intPart}.${digits.slice(exponent + 1) || "0"}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${exponent}`;
}

/**
 * JDK 19+ picks the shortest digits, except that a one-digit result is replaced by the closest
 * two-digit decimal (Double.MIN_VALUE prints 4.9E-324, not 5.0E-324).
 */
function atLeastTwoDigits(value: number, shortest: string, roundsBack: (text: string) => boolean): string {
  if (value === 0 || significantDigits(shortest) > 1) return shortest;
  const two = value.toPrecision(2);
  return roundsBack(two) ? two : shortest;
}

function significantDigits(text: string): number {
  const mantissa = text.replace(/^-/, "").split(/e/i)[0] as string;
  return mantissa.replace(".", "").replace(/^0+/, "").replace(/0+$/, "").length;
}

/** Common case: in the plain range the shortest digits are Java's and JS prints them plainly. */
function plainRange(value: number, shortest: string): string | null {
  const magnitude = Math.abs(value);
  if (!(magnitude >= 1e-3 && magnitude < 1e7)) return null;
  return shortest.includes(".") ? shortest : `${shortest}.0`;
}

export function javaDoubleText(value: number): string {
  const plain = plainRange(value, String(value));
  if (plain !== null) return plain;
  return javaLayout(value, atLeastTwoDigits(value, String(value), (t) => Number(t) === value));
}

/** The shortest decimal text that reads back, as float32, to the same float. */
export function shortestFloatText(value: number): string {
  const float = Math.fround(value);
  if (float === 0) return Object.is(float, -0) ? "-0" : "0";
  if (!Number.isFinite(float)) return String(float);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = float.toPrecision(digits);
    if (Math.fround(Number(candidate)) === float) return String(Number(candidate));
  }
  return String(Number(float.toPrecision(9)));
}

export function javaFloatText(value: number): string {
  const float = Math.fround(value);
  const shortest = shortestFloatText(float);
  const plain = plainRange(float, shortest);
  if (plain !== null) return plain;
  return javaLayout(float, atLeastTwoDigits(float, shortest, (t) => Math.fround(Number(t)) === float));
}
