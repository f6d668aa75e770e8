// Which tables a pipeline selects, as the checkpoint remembers it: the rules' name matchers only
// (no mapping, no spec locations). A restart on a spec that selects more compares the two to
// find the tables that need their own initial sync.
import type { NameMatcher, ObjectRule } from "../../generated/plan.js";
import { ObjectSelector } from "./object-selector.js";

export type Selection = { database: NameMatcher; table: NameMatcher | null }[];

export function selectionOf(rules: readonly ObjectRule[]): Selection {
  return rules.map((rule) => ({ database: rule.database, table: rule.table }));
}

export function sameSelection(a: Selection, b: Selection): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A selector over a remembered selection (rule order kept: the first match decides). */
export function selectorOf(selection: Selection): ObjectSelector {
  return new ObjectSelector(selection.map((matchers, index) => ({
    origin: { file: "checkpoint", line: index + 1, column: 1 },
    ...matchers,
    target: { database: null, table: null, topic: null },
    columns: { include: null, exclude: [], rename: {} },
    filter: null,
    partition: null,
  })));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isMatcher = (v: unknown) => isRecord(v) && Object.keys(v).length === 1 && typeof Object.values(v)[0] === "string" && ["exact", "pattern"].includes(Object.keys(v)[0] as string);

/** Whether a stored value is a selection (checkpoint validation). */
export function isSelection(value: unknown): value is Selection {
  return Array.isArray(value) && value.every((entry) => isRecord(entry) && isMatcher(entry.database) && (entry.table === null || isMatcher(entry.table)));
}
