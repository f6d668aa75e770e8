// Huge, tiny, negative, fractional and exponent numbers, durations and sizes. The compiler may
// reject a value (with an error on its line) or accept it, but what it accepts must reach the
// plan exactly: a port of 9007199254740993 read back as ...992, or a retry window of 10^20
// seconds stored as a float, is a silent change of what the user wrote.
import fc from "fast-check";
import type { FuzzInput } from "../check-input.js";
import { assertNoViolations } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";
import { lineOf, spec } from "../template.js";

type Pipeline = Record<string, Record<string, unknown>>;

/** Where an integer goes, and where the plan keeps it. */
const integerPlaces: Record<string, { build: (n: string) => string; line: (n: string) => string; read: (p: Pipeline) => unknown }> = {
  port: { build: (n) => spec({ source: `port = ${n}` }), line: (n) => `port = ${n}`, read: (p) => p["source"]?.["port"] },
  server_id: { build: (n) => spec({ source: `server_id = ${n}` }), line: (n) => `server_id = ${n}`, read: (p) => p["source"]?.["serverId"] },
  chunk_size: { build: (n) => spec({ pipeline: `initial_sync {\n  chunk_size = ${n}\n}` }), line: (n) => `chunk_size = ${n}`, read: (p) => p["initialSync"]?.["chunkSize"] },
  parallelism: { build: (n) => spec({ pipeline: `initial_sync {\n  parallelism = ${n}\n}` }), line: (n) => `parallelism = ${n}`, read: (p) => p["initialSync"]?.["parallelism"] },
  max_rows_per_second: {
    build: (n) => spec({ pipeline: `initial_sync {\n  max_rows_per_second = ${n}\n}` }),
    line: (n) => `max_rows_per_second = ${n}`,
    read: (p) => (p["initialSync"]?.["throttle"] as Record<string, unknown>)["rowsPerSecond"],
  },
  max_bytes_per_second: {
    build: (n) => spec({ pipeline: `initial_sync {\n  max_bytes_per_second = ${n}\n}` }),
    line: (n) => `max_bytes_per_second = ${n}`,
    read: (p) => (p["initialSync"]?.["throttle"] as Record<string, unknown>)["bytesPerSecond"],
  },
  partitions: { build: (n) => spec({ destination: `create_topics {\n  partitions = ${n}\n}` }), line: (n) => `partitions = ${n}`, read: (p) => (p["destination"]?.["createTopics"] as Record<string, unknown>)["partitions"] },
  "binlog position": {
    build: (n) => spec({ pipeline: "initial_sync {\n  data = false\n}", source: `start_from = position("mysql-bin.000001", ${n})` }),
    line: (n) => `position("mysql-bin.000001", ${n})`,
    read: (p) => (p["source"]?.["startFrom"] as Record<string, unknown>)["position"],
  },
};

/** The exact value of a decimal literal as numerator / 10^scale, or undefined when it is not one. */
function exact(literal: string): { numerator: bigint; scale: number } | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d{1,3}))?$/.exec(literal);
  if (!m) return undefined;
  const digits = BigInt(`${m[1]}${m[2]}${m[3] ?? ""}`);
  const exponent = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  return exponent >= 0 ? { numerator: digits * 10n ** BigInt(exponent), scale: 0 } : { numerator: digits, scale: -exponent };
}

/** Whether the plan's value is exactly the literal: a safe integer equal to it, not a rounding of it. */
function isExactly(value: unknown, numerator: bigint, scale: number): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && BigInt(value) * 10n ** BigInt(scale) === numerator;
}

const edgeIntegers = [
  "0", "-0", "-1", "1", "007", "4", "65535", "65536", "4294967295", "4294967296", "9007199254740991", "9007199254740992",
  "9007199254740993", "18446744073709551616", "1".repeat(400), "1e3", "1e400", "1.0", "1.5", "-9007199254740993", "0.0000001", "2e-3",
];
const literal = fc.oneof(fc.constantFrom(...edgeIntegers), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String));

const durationUnits: Record<string, bigint> = { d: 86400n, h: 3600n, m: 60n, s: 1n };
const sizeUnits: Record<string, bigint> = { B: 1n, KB: 1000n, MB: 1000n ** 2n, GB: 1000n ** 3n, KiB: 1024n, MiB: 1024n ** 2n, GiB: 1024n ** 3n };
const amount = fc.oneof(fc.constantFrom("0", "1", "9007199254740993", "99999999999999999999", "1".repeat(60)), fc.bigInt({ min: 0n, max: 10n ** 24n }).map(String));

const input = (text: string): FuzzInput => ({ files: [{ file: "numbers.dts", text }] });

/** Violations, plus: rejected on the value's line, or accepted exactly. */
async function acceptedExactly(sandbox: Sandbox, text: string, line: string, read: (p: Pipeline) => unknown, expected: { numerator: bigint; scale: number } | undefined): Promise<string[]> {
  const outcome = await sandbox.check(input(text));
  const problems = [...outcome.violations];
  const at = lineOf(text, line);
  const errors = outcome.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) {
    if (!errors.some((d) => d.line === at)) problems.push(`rejected, but not on line ${at}: ${errors.map((d) => `${d.code} at ${d.line}:${d.column} ${d.message}`).join("; ")}`);
    return problems;
  }
  if (outcome.planJson === null) return [...problems, "no plan although no error was reported"];
  const value = read((JSON.parse(outcome.planJson) as { pipelines: Pipeline[] }).pipelines[0] as Pipeline);
  if (!expected || !isExactly(value, expected.numerator, expected.scale)) problems.push(`accepted, but the plan holds ${JSON.stringify(value)}`);
  return problems;
}

export const numberProperties: Properties = {
  "an integer setting is rejected on its line or reaches the plan exactly": async (sandbox: Sandbox) => {
    const arbitrary = fc.record({ place: fc.constantFrom(...Object.keys(integerPlaces)), literal });
    const place = (name: string) => integerPlaces[name] as (typeof integerPlaces)[string];
    await assertNoViolations(
      "integers",
      arbitrary,
      async (x) => acceptedExactly(sandbox, place(x.place).build(x.literal), place(x.place).line(x.literal), place(x.place).read, exact(x.literal)),
      (x) => input(place(x.place).build(x.literal)),
      { numRuns: 120, describe: (x) => `${x.place} = ${x.literal}` },
    );
  },

  "a duration is rejected on its line or reaches the plan as exact seconds": async (sandbox: Sandbox) => {
    const arbitrary = fc.array(fc.tuple(amount, fc.constantFrom(...Object.keys(durationUnits))), { minLength: 1, maxLength: 3 });
    const text = (parts: [string, string][]) => parts.map(([n, unit]) => `${n}${unit}`).join("");
    await assertNoViolations(
      "durations",
      arbitrary,
      async (parts) => {
        const seconds = parts.reduce((sum, [n, unit]) => sum + BigInt(n) * (durationUnits[unit] as bigint), 0n);
        return acceptedExactly(sandbox, spec({ pipeline: `retry_window = ${text(parts)}` }), `retry_window = ${text(parts)}`, (p) => p["retryWindowSeconds"], { numerator: seconds, scale: 0 });
      },
      (parts) => input(spec({ pipeline: `retry_window = ${text(parts)}` })),
      { numRuns: 80, describe: (parts) => `retry_window = ${text(parts)}` },
    );
  },

  "a size is rejected on its line or reaches the plan as exact bytes": async (sandbox: Sandbox) => {
    const decimal = fc.oneof(amount, fc.tuple(amount, fc.stringMatching(/^\d{1,4}$/)).map(([whole, fraction]) => `${whole}.${fraction}`));
    const arbitrary = fc.tuple(decimal, fc.constantFrom(...Object.keys(sizeUnits)));
    await assertNoViolations(
      "sizes",
      arbitrary,
      async ([n, unit]) => {
        const value = exact(n) as { numerator: bigint; scale: number };
        const line = `max_bytes_per_second = ${n}${unit}`;
        return acceptedExactly(sandbox, spec({ pipeline: `initial_sync {\n  ${line}\n}` }), line, (p) => (p["initialSync"]?.["throttle"] as Record<string, unknown>)["bytesPerSecond"], { numerator: value.numerator * (sizeUnits[unit] as bigint), scale: value.scale });
      },
      ([n, unit]) => input(spec({ pipeline: `initial_sync {\n  max_bytes_per_second = ${n}${unit}\n}` })),
      { numRuns: 80, describe: ([n, unit]) => `max_bytes_per_second = ${n}${unit}` },
    );
  },
};
