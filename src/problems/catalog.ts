// Every code of every phase in one list, so wording and fixes live in one place and
// `dts explain`, docs/errors.md and the tests all read the same entries.
import { compilerCodes } from "./compiler-codes.js";
import type { CatalogEntry, Phase } from "./entry.js";
import { precheckCodes } from "./precheck-codes.js";
import { runtimeCodes } from "./runtime-codes.js";

/** Every entry, ordered by code. */
export const catalog: readonly CatalogEntry[] = [...Object.values(compilerCodes), ...Object.values(precheckCodes), ...Object.values(runtimeCodes)].sort((a, b) => a.code.localeCompare(b.code));

const byCode = new Map(catalog.map((entry) => [entry.code, entry]));

/** The entry of `DTS2004` (any case, with or without the DTS prefix), or null when there is none. */
export function lookupCode(code: string): CatalogEntry | null {
  const normalized = code.trim().toUpperCase();
  return byCode.get(/^\d+$/.test(normalized) ? `DTS${normalized}` : normalized) ?? null;
}

export const phaseTitles: Record<Phase, string> = {
  syntax: "Syntax (1xxx): the spec cannot be read",
  meaning: "Meaning (2xxx): the spec reads but does not make sense",
  plan: "Plan (3xxx): the compiler and its output",
  precheck: "Precheck (4xxx): the source or Kafka is not ready for the pipeline",
  runtime: "Runtime (5xxx): a run cannot start or continue",
};
