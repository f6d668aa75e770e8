// Column selection and renames of one table rule: which output columns disappear, appear or
// take another name. The table's real columns are unknown offline, so "every column" stands
// for an include list left out.
import type { ObjectRule } from "../generated/plan.js";
import type { Draft } from "./change.js";

type Columns = ObjectRule["columns"];

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));
const escape = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

function dropped(column: string, at: string[]): Draft {
  return { change: "column dropped", severity: "breaking", why: "consumers no longer receive this column", from: column, to: null, at };
}

function added(column: string, at: string[]): Draft {
  return { change: "column added", severity: "caution", why: "messages carry a column they did not before", from: null, to: column, at };
}

function includeChanges(a: Columns["include"], b: Columns["include"], at: string[]): Draft[] {
  if (a === null && b !== null) {
    return [{ change: "include list added", severity: "breaking", why: "only the listed columns are kept; every other column is dropped from the output", from: "every column", to: b.join(", "), at }];
  }
  if (a !== null && b === null) {
    return [{ change: "include list removed", severity: "caution", why: "every column is sent, including ones that were left out", from: a.join(", "), to: "every column", at }];
  }
  if (a === null || b === null) return [];
  const changes = [...minus(a, b).map((c) => dropped(c, at)), ...minus(b, a).map((c) => added(c, at))];
  if (changes.length === 0 && a.join() !== b.join()) {
    return [{ change: "include list reordered", severity: "safe", why: "the same columns, sent in the table's own order", from: a.join(", "), to: b.join(", "), at }];
  }
  return changes;
}

function excludeChanges(a: string[], b: string[], at: string[]): Draft[] {
  const changes = [...minus(b, a).map((c) => dropped(c, at)), ...minus(a, b).map((c) => ({ ...added(c, at), change: "column no longer excluded" }))];
  if (changes.length === 0 && a.join() !== b.join()) {
    return [{ change: "exclude list reordered", severity: "safe", why: "the same columns are left out", from: a.join(", "), to: b.join(", "), at }];
  }
  return changes;
}

function renameChanges(a: Columns["rename"], b: Columns["rename"], at: string): Draft[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((column): Draft[] => {
    const from = Object.hasOwn(a, column) ? (a[column] as string) : column;
    const to = Object.hasOwn(b, column) ? (b[column] as string) : column;
    if (from === to) return [];
    const where = [`${at}/rename/${escape(column)}`, `${at}/rename`, at];
    return [{ change: `column ${column} renamed`, severity: "breaking", why: `consumers reading ${from} no longer find it; the column is now ${to}`, from, to, at: where }];
  });
}

export function columnChanges(a: Columns, b: Columns, at: string): Draft[] {
  return [...includeChanges(a.include, b.include, [`${at}/include`, at]), ...excludeChanges(a.exclude, b.exclude, [`${at}/exclude`, at]), ...renameChanges(a.rename, b.rename, at)];
}
