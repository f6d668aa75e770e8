// Column selection and renames of one table rule: which output columns disappear, appear or
// take another name. The table's real columns are unknown offline, so "every column" stands
// for an include list left out.
import type { ObjectRule } from "../generated/plan.js";
import { columnNameKey } from "../plan/index.js";
import type { Draft } from "./change.js";

type Columns = ObjectRule["columns"];

// Column names compare as the server and the runtime compare them: in any case.
const columnKey = columnNameKey;
const keys = (names: readonly string[]) => names.map(columnKey).join();
const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.some((y) => columnKey(y) === columnKey(x)));
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
  if (changes.length === 0 && keys(a) !== keys(b)) {
    return [{ change: "include list reordered", severity: "safe", why: "the same columns, sent in the table's own order", from: a.join(", "), to: b.join(", "), at }];
  }
  return changes;
}

function excludeChanges(a: string[], b: string[], at: string[]): Draft[] {
  const changes = [...minus(b, a).map((c) => dropped(c, at)), ...minus(a, b).map((c) => ({ ...added(c, at), change: "column no longer excluded" }))];
  if (changes.length === 0 && keys(a) !== keys(b)) {
    return [{ change: "exclude list reordered", severity: "safe", why: "the same columns are left out", from: a.join(", "), to: b.join(", "), at }];
  }
  return changes;
}

/** The output name a rename map gives `column` (named in any case), or its own. */
function renamedTo(map: Columns["rename"], column: string): string {
  const written = Object.keys(map).find((key) => columnKey(key) === columnKey(column));
  return written === undefined ? column : (map[written] as string);
}

function renameChanges(a: Columns["rename"], b: Columns["rename"], at: string): Draft[] {
  const byKey = new Map([...Object.keys(a), ...Object.keys(b)].map((column) => [columnKey(column), column]));
  return [...byKey.values()].flatMap((column): Draft[] => {
    const from = renamedTo(a, column);
    const to = renamedTo(b, column);
    if (from === to) return [];
    const where = [`${at}/rename/${escape(column)}`, `${at}/rename`, at];
    return [{ change: `column ${column} renamed`, severity: "breaking", why: `consumers reading ${from} no longer find it; the column is now ${to}`, from, to, at: where }];
  });
}

export function columnChanges(a: Columns, b: Columns, at: string): Draft[] {
  return [...includeChanges(a.include, b.include, [`${at}/include`, at]), ...excludeChanges(a.exclude, b.exclude, [`${at}/exclude`, at]), ...renameChanges(a.rename, b.rename, at)];
}
