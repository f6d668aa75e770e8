// Encodings and line endings. Two metamorphic properties: a byte-order mark and the line-ending
// style (CRLF, lone CR, mixed) change no line, column, message or plan, and fmt's layout only by
// the BOM and the line endings themselves. Two robustness properties: NUL bytes, lone
// surrogates, emoji, bidi overrides and invalid UTF-8 (decoded as the CLI reads a file) anywhere
// in a real spec keep every invariant. Each starts from every corpus entry as shipped.
import fc from "fast-check";
import { excerpt, firstDifference, type FuzzInput, type Outcome, type SeenDiagnostic } from "../check-input.js";
import { corpus } from "../corpus.js";
import { applyEdits, edit, type Edit } from "../mutate.js";
import { assertNoViolations } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";

/** A corpus entry, possibly mutated first, so error paths (unterminated strings, cut blocks) are covered too. */
interface Variant {
  entry: number;
  edits: Edit[];
}

const variant: fc.Arbitrary<Variant> = fc.record({ entry: fc.nat({ max: corpus.length - 1 }), edits: fc.array(edit, { maxLength: 2 }) });
const asShipped: Variant[] = corpus.map((_, entry) => ({ entry, edits: [] }));

function baseInput(v: Variant): FuzzInput {
  const entry = corpus[v.entry] as (typeof corpus)[number];
  return { files: entry.files.map((f, i) => ({ file: f.file, text: i === 0 ? applyEdits(f.text, v.edits).text : f.text })) };
}

function describeVariant(v: Variant): string {
  const entry = corpus[v.entry] as (typeof corpus)[number];
  return v.edits.length ? `${entry.name} after: ${applyEdits(entry.files[0]?.text ?? "", v.edits).description}` : `${entry.name} as shipped`;
}

function transform(input: FuzzInput, change: (text: string) => string): FuzzInput {
  return { ...input, files: input.files.map((f) => ({ file: f.file, text: change(f.text) })) };
}

const position = (d: SeenDiagnostic) => `${d.code} ${d.severity} ${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message}`;

/** What must not change between an input and its re-encoded twin, with `normalize` undoing the re-encoding in fmt's output. */
function sameMeaning(plain: Outcome, changed: Outcome, normalize: (text: string) => string): string[] {
  const problems = [...plain.violations.map((v) => `(plain) ${v}`), ...changed.violations];
  const a = plain.diagnostics.map(position);
  const b = changed.diagnostics.map(position);
  const i = a.findIndex((d, k) => d !== b[k]);
  if (i >= 0 || a.length !== b.length) {
    const at = i >= 0 ? i : Math.min(a.length, b.length);
    problems.push(`diagnostic ${at + 1} differs: ${a[at] ?? "(none)"} became ${b[at] ?? "(none)"}`);
  }
  if (plain.planJson !== changed.planJson) problems.push(`the plan differs: ${firstDifference(plain.planJson ?? "null", changed.planJson ?? "null")}`);
  (plain.formatted ?? []).forEach((text, k) => {
    const other = changed.formatted?.[k];
    if (text === null || other === undefined) return;
    if (other === null) problems.push(`fmt refuses file ${k + 1} only after re-encoding`);
    else if (normalize(other) !== text) problems.push(`fmt lays file ${k + 1} out differently: ${firstDifference(text, normalize(other))}`);
  });
  return problems;
}

const lineEndings = {
  CRLF: (text: string) => text.replace(/\n/g, "\r\n"),
  CR: (text: string) => text.replace(/\n/g, "\r"),
  // In this order a lone CR is never followed by an LF, which would make one CRLF of two breaks.
  mixed: (text: string) => {
    let line = 0;
    return text.replace(/\n/g, () => ["\r\n", "\n", "\r"][line++ % 3] as string);
  },
};
type LineEndingStyle = keyof typeof lineEndings;

const oddCharacters = {
  NUL: "\u0000",
  "a lone high surrogate": "\uD800",
  "a lone low surrogate": "\uDC00",
  "U+FFFD": "\uFFFD",
  "an emoji": "😀",
  "a flag (two astral characters)": "🇪🇺",
  "a combining accent": "\u0301",
  "a zero-width space": "\u200B",
  "a right-to-left override": "\u202E",
  "U+2028": "\u2028",
  "a BOM mid-file": "\uFEFF",
  "ESC [2J": "\u001b[2J",
  DEL: "\u007f",
  "a vertical tab": "\u000b",
  "a form feed": "\u000c",
  NEL: "\u0085",
  "a no-break space": "\u00a0",
};
type OddName = keyof typeof oddCharacters;

const badBytes: Record<string, number[]> = {
  "0xFF": [0xff],
  "a lead byte without its continuation": [0xc3],
  "a stray continuation byte": [0x80],
  "an encoded surrogate (CESU-8)": [0xed, 0xa0, 0x80],
  "a code point past U+10FFFF": [0xf4, 0x90, 0x80, 0x80],
  "an overlong slash": [0xc0, 0xaf],
  "a UTF-8 BOM mid-file": [0xef, 0xbb, 0xbf],
  "a NUL byte": [0x00],
};

/** Characters inserted at positions taken modulo the length, so shrinking moves them to the start. */
function withOddCharacters(x: { entry: number; inserts: [number, OddName][] }): FuzzInput {
  const insert = (t: string, [at, name]: [number, OddName]) => (t.length ? t.slice(0, at % t.length) + oddCharacters[name] + t.slice(at % t.length) : oddCharacters[name]);
  return transform(baseInput({ entry: x.entry, edits: [] }), (text) => x.inserts.reduce(insert, text));
}

/** Bytes inserted into the UTF-8 encoding, then decoded as the CLI reads a file. */
function withBadBytes(x: { entry: number; inserts: [number, string][] }): FuzzInput {
  return transform(baseInput({ entry: x.entry, edits: [] }), (text) => {
    let bytes = [...Buffer.from(text, "utf8")];
    for (const [at, name] of x.inserts) {
      const i = bytes.length ? at % bytes.length : 0;
      bytes = [...bytes.slice(0, i), ...(badBytes[name] as number[]), ...bytes.slice(i)];
    }
    return Buffer.from(bytes).toString("utf8");
  });
}

export const encodingProperties: Properties = {
  "a byte-order mark moves no position and changes no plan": (sandbox: Sandbox) =>
    assertNoViolations(
      "byte-order mark",
      variant,
      async (v) => {
        const plain = baseInput(v);
        const [before, after] = await Promise.all([sandbox.check(plain), sandbox.check(transform(plain, (t) => `\uFEFF${t}`))]);
        return sameMeaning(before, after, (t) => t.replace(/^\uFEFF/, ""));
      },
      (v) => transform(baseInput(v), (t) => `\uFEFF${t}`),
      { numRuns: 20, examples: asShipped, describe: (v) => `${describeVariant(v)}, with a BOM` },
    ),

  "CRLF, lone CR and mixed line endings move no position and change no plan": (sandbox: Sandbox) => {
    const arbitrary = fc.record({ variant, style: fc.constantFrom<LineEndingStyle>("mixed", "CRLF", "CR") });
    const withStyle = (x: { variant: Variant; style: LineEndingStyle }) => transform(baseInput(x.variant), lineEndings[x.style]);
    return assertNoViolations(
      "line endings",
      arbitrary,
      async (x) => {
        const [before, after] = await Promise.all([sandbox.check(baseInput(x.variant)), sandbox.check(withStyle(x))]);
        return sameMeaning(before, after, (t) => t.replace(/\r\n?/g, "\n"));
      },
      withStyle,
      { numRuns: 30, examples: asShipped.map((v) => ({ variant: v, style: "mixed" as const })), describe: (x) => `${describeVariant(x.variant)}, with ${x.style} line endings` },
    );
  },

  "NUL, lone surrogates, emoji and control characters anywhere keep every invariant": (sandbox: Sandbox) => {
    const arbitrary = fc.record({
      entry: fc.nat({ max: corpus.length - 1 }),
      inserts: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...(Object.keys(oddCharacters) as OddName[]))), { minLength: 1, maxLength: 3 }),
    });
    return assertNoViolations("odd characters", arbitrary, async (x) => (await sandbox.check(withOddCharacters(x))).violations, withOddCharacters, {
      numRuns: 80,
      describe: (x) => `${corpus[x.entry]?.name} with ${x.inserts.map(([at, name]) => `${name} at ${at}`).join(", ")}: ${excerpt(withOddCharacters(x).files[0]?.text ?? "", 120)}`,
    });
  },

  "invalid UTF-8, decoded as the CLI reads a file, keeps every invariant": (sandbox: Sandbox) => {
    const arbitrary = fc.record({
      entry: fc.nat({ max: corpus.length - 1 }),
      inserts: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...Object.keys(badBytes))), { minLength: 1, maxLength: 3 }),
    });
    return assertNoViolations("invalid UTF-8", arbitrary, async (x) => (await sandbox.check(withBadBytes(x))).violations, withBadBytes, {
      numRuns: 60,
      describe: (x) => `${corpus[x.entry]?.name} with ${x.inserts.map(([at, name]) => `${name} at byte ${at}`).join(", ")}`,
    });
  },
};
