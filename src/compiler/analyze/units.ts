// Durations (720m, 12h, 1h30m, 30s) and sizes (64MiB, 512KB, 1GB). Units are looked up in Maps:
// a unit is whatever letters follow the digits, and 1constructor must be an unknown unit.
const durationUnits = new Map([["s", 1], ["m", 60], ["h", 3600], ["d", 86400]]);
const sizeUnits = new Map([["B", 1], ["KB", 1e3], ["MB", 1e6], ["GB", 1e9], ["KiB", 1024], ["MiB", 1024 ** 2], ["GiB", 1024 ** 3]]);
const binarySizeUnits = new Map([["B", 1], ["KiB", 1024], ["MiB", 1024 ** 2], ["GiB", 1024 ** 3]]);

const sizeUnitNames = [...sizeUnits.keys()];

export type UnitResult = { ok: true; value: number } | { ok: false; message: string; hint?: string };

function parts(text: string): { amount: string; unit: string }[] {
  return [...text.matchAll(/(-?\d+(?:\.\d+)?)([A-Za-z]+)/g)].map((m) => ({ amount: m[1] as string, unit: m[2] as string }));
}

/** Whole seconds; parts must be whole numbers in descending units, like 1h30m. */
export function parseDuration(text: string): UnitResult {
  let total = 0;
  let lastScale = Infinity;
  for (const { amount, unit } of parts(text)) {
    const scale = durationUnits.get(unit);
    if (scale === undefined) {
      const hint = unit === "ms" ? "the smallest unit is s" : durationUnits.has(unit.toLowerCase()) ? `units are lower case: ${unit.toLowerCase()}` : `use s, m, h or d, e.g. 720m or 12h`;
      return { ok: false, message: `unknown duration unit "${unit}" in ${text}`, hint };
    }
    if (!/^\d+$/.test(amount)) return { ok: false, message: `${text} is not a whole number of ${unit === "s" ? "seconds" : "units"}`, hint: "write 90m instead of 1.5h" };
    if (scale >= lastScale) return { ok: false, message: `${text} repeats or misorders its units`, hint: "write larger units first, each once, e.g. 1h30m" };
    lastScale = scale;
    total += Number(amount) * scale;
  }
  return { ok: true, value: total };
}

/** Whole bytes. */
export function parseSize(text: string): UnitResult {
  const all = parts(text);
  const only = all[0];
  if (!only || all.length !== 1) return { ok: false, message: `${text} is not a size`, hint: "write one number and one unit, e.g. 64MiB" };
  const scale = sizeUnits.get(only.unit);
  if (scale === undefined) return { ok: false, message: `unknown size unit "${only.unit}" in ${text}`, hint: `use ${sizeUnitNames.join(", ")}` };
  const bytes = Number(only.amount) * scale;
  // Too large is left to the caller's range check, which can say what the range is.
  if (Number.isFinite(bytes) && !Number.isInteger(bytes)) return { ok: false, message: `${text} is not a whole number of bytes` };
  return { ok: true, value: bytes };
}

/** `amount` in the largest of `units` that divides it, e.g. 2592000 seconds → 30d. */
function inLargestUnit(amount: number, units: Map<string, number>): string {
  const largestFirst = [...units].sort(([, a], [, b]) => b - a);
  const [unit, scale] = largestFirst.find(([, s]) => amount !== 0 && amount % s === 0) ?? (largestFirst[largestFirst.length - 1] as [string, number]);
  return `${amount / scale}${unit}`;
}

export function formatDuration(seconds: number): string {
  return inLargestUnit(seconds, durationUnits);
}

export function formatSize(bytes: number): string {
  return inLargestUnit(bytes, binarySizeUnits);
}
