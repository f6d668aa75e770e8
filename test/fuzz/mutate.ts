// A seeded mutator over real specs: deletions, duplications, swaps, insertions of grammar tokens
// and truncations, on tokens (what a hurried edit does) or on UTF-8 bytes (what a bad merge or a
// wrong encoding does; the bytes are decoded as the CLI reads a file, so a cut character becomes
// U+FFFD). Positions are taken modulo the length, so fast-check shrinks them towards the start.
import fc from "fast-check";
import type { SourceFile } from "../../src/compiler/index.js";
import type { FuzzInput } from "./check-input.js";
import type { CorpusEntry } from "./corpus.js";
import { describedCase, type Case } from "./property.js";
import { roughTokens } from "./rough-tokens.js";

/**
 * Tokens of grammar/tokens.ts and of the row-filter grammar, words the compiler knows, and a few
 * values. Lone CR and BOM are left to the line-ending and encoding properties, so that a failure
 * here is about structure.
 */
export const grammarFragments = [
  "{", "}", "[", "]", "(", ")", "=", ":", ",", '"', '""', '"x"', "'", "`", "#", "//", "/*", "*/", "\n", " ", "\t", "\\",
  "1", "-1", "3.5", "1e9", "12h", "1h30m", "64MiB", "x", "pipeline", "source", "mysql", "destination", "kafka",
  "database", "table", "columns", "filter", "rename", "topic", "partition", "auth", "initial_sync", "checkpoint",
  "match(", "glob(", "env(", "file(", "columns(", "position(", "filter = (", "AND", "OR", "NOT", "IN", "LIKE",
  "BETWEEN", "IS", "NULL", "'%'", "é", "😀",
];

export type EditKind = "delete" | "duplicate" | "swap" | "insert" | "truncate";

export interface Edit {
  kind: EditKind;
  level: "token" | "byte";
  at: number;
  length: number;
  to: number;
  fragment: string;
}

export const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom<EditKind>("delete", "duplicate", "swap", "insert", "truncate"),
  level: fc.constantFrom<Edit["level"]>("token", "byte"),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 4 }),
  to: fc.nat(),
  fragment: fc.constantFrom(...grammarFragments),
});

interface Applied {
  text: string;
  description: string;
}

/** The same edit on an array of tokens or of bytes. */
function editUnits<T>(units: T[], e: Edit, fragment: T[]): { units: T[]; at: number; taken: T[] } {
  const n = units.length;
  if (n === 0) return { units: e.kind === "insert" ? fragment : units, at: 0, taken: [] };
  const at = e.at % n;
  const end = Math.min(n, at + e.length);
  const taken = units.slice(at, end);
  switch (e.kind) {
    case "delete":
      return { units: [...units.slice(0, at), ...units.slice(end)], at, taken };
    case "duplicate":
      return { units: [...units.slice(0, end), ...taken, ...units.slice(end)], at, taken };
    case "insert":
      return { units: [...units.slice(0, at), ...fragment, ...units.slice(at)], at, taken: fragment };
    case "truncate":
      return { units: units.slice(0, at), at, taken: [] };
    case "swap": {
      const rest = [...units.slice(0, at), ...units.slice(end)];
      const to = e.to % (rest.length + 1);
      return { units: [...rest.slice(0, to), ...taken, ...rest.slice(to)], at, taken };
    }
  }
}

function applyEdit(text: string, e: Edit): Applied {
  const verb = { delete: "delete", duplicate: "duplicate", swap: "move", insert: "insert", truncate: "cut the file at" }[e.kind];
  if (e.level === "token") {
    const tokens = roughTokens(text);
    const { units, at, taken } = editUnits(tokens, e, [e.fragment]);
    const what = e.kind === "truncate" ? `token ${at}` : `${JSON.stringify(taken.join(""))} at token ${at}`;
    return { text: units.join(""), description: `${verb} ${what}${e.kind === "swap" ? " elsewhere" : ""}` };
  }
  const bytes = [...Buffer.from(text, "utf8")];
  const { units, at, taken } = editUnits(bytes, e, [...Buffer.from(e.fragment, "utf8")]);
  const what = e.kind === "truncate" ? `byte ${at}` : `bytes [${taken.map((b) => b.toString(16).padStart(2, "0")).join(" ")}] at byte ${at}`;
  return { text: Buffer.from(units).toString("utf8"), description: `${verb} ${what}${e.kind === "swap" ? " elsewhere" : ""}` };
}

export function applyEdits(text: string, edits: Edit[]): Applied {
  const descriptions: string[] = [];
  for (const e of edits) {
    const applied = applyEdit(text, e);
    text = applied.text;
    descriptions.push(applied.description);
  }
  return { text, description: descriptions.join(", then ") };
}

/** One file of the entry mutated; the others stay as they are. */
export function mutateEntry(entry: CorpusEntry, fileIndex: number, edits: Edit[]): Case {
  const target = fileIndex % entry.files.length;
  let description = "";
  const files: SourceFile[] = entry.files.map((f, i) => {
    if (i !== target) return f;
    const applied = applyEdits(f.text, edits);
    description = `${f.file} after: ${applied.description}`;
    return { file: f.file, text: applied.text };
  });
  const input: FuzzInput = { files };
  return describedCase(edits.length ? description : `${entry.files[target]?.file} as shipped`, input);
}

/** Mutants of one corpus entry: one to four edits. */
export function mutants(entry: CorpusEntry): fc.Arbitrary<Case> {
  return fc
    .record({ file: fc.nat({ max: entry.files.length - 1 }), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) })
    .map(({ file, edits }) => mutateEntry(entry, file, edits));
}
