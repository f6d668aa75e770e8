// Column names as a rule writes them (include, exclude, rename, a columns-hash partition, a row
// filter), resolved against one table's columns. MySQL and MariaDB compare column names without
// regard to case (`Id` and `ID` name one column), so a spec may spell them in any case, and
// messages keep the table's own spelling unless a rename gives another. A name the table does
// not have is a mistake in the spec, not a column to drop silently, and two output columns with
// one name would give canal JSON a duplicate key. Both are decided here, for the runtime and the
// precheck alike.
import type { FilterExpr, ObjectRule } from "../../generated/plan.js";
import { columnNameKey } from "../../plan/column-name.js";
import { RuntimeError } from "../errors.js";

/** Index of the column `name` names: its exact spelling first, else one equal but for case; -1 if none. */
export function findColumn(names: readonly string[], name: string): number {
  const exact = names.indexOf(name);
  if (exact >= 0) return exact;
  const key = columnNameKey(name);
  return names.findIndex((n) => columnNameKey(n) === key);
}

export interface ColumnChoice {
  /** Indexes of the kept columns, in table order. */
  keep: number[];
  /** The kept columns' names in messages, aligned with `keep`. */
  names: string[];
}

/** What is wrong with a rule's column names for one table. */
export type ColumnProblem =
  | { kind: "missing"; part: "include" | "exclude" | "rename" | "filter" | "partition"; name: string }
  | { kind: "left-out"; name: string }
  | { kind: "duplicate"; name: string; columns: [string, string] };

export const isColumnProblem = <T extends object>(value: T | ColumnProblem): value is ColumnProblem => "kind" in value;

function resolveAll(names: readonly string[], part: "include" | "exclude", list: readonly string[], mayLack: boolean): Set<number> | ColumnProblem {
  const found = new Set<number>();
  for (const name of list) {
    const index = findColumn(names, name);
    if (index >= 0) found.add(index);
    else if (!mayLack) return { kind: "missing", part, name };
  }
  return found;
}

/**
 * Whether the rule names one table. A pattern's tables may differ: excluding or renaming a
 * column some of them lack is then no mistake.
 */
function namesOneTable(rule: ObjectRule): boolean {
  return rule.table !== null && "exact" in rule.table;
}

/** The columns a rule's `columns` block keeps of a table with these column names, and their names in messages. */
export function chooseColumns(names: readonly string[], rule: ObjectRule): ColumnChoice | ColumnProblem {
  const columns = rule.columns;
  const included = columns.include === null ? null : resolveAll(names, "include", columns.include, false);
  if (included !== null && isColumnProblem(included)) return included;
  const mayLack = !namesOneTable(rule);
  const excluded = resolveAll(names, "exclude", columns.exclude, mayLack);
  if (isColumnProblem(excluded)) return excluded;
  // Object.entries lists only the plan's own renames (not `constructor` and the like).
  const renamed = new Map<number, string>();
  for (const [from, to] of Object.entries(columns.rename)) {
    const index = findColumn(names, from);
    if (index < 0 && mayLack) continue;
    if (index < 0) return { kind: "missing", part: "rename", name: from };
    renamed.set(index, to);
  }
  const keep = names.flatMap((_, i) => ((included === null || included.has(i)) && !excluded.has(i) ? [i] : []));
  const output = keep.map((i) => renamed.get(i) ?? (names[i] as string));
  const describe = (position: number): string => {
    const index = keep[position] as number;
    return renamed.has(index) ? `${names[index]} (renamed to ${output[position]})` : (names[index] as string);
  };
  const seen = new Map<string, number>();
  for (const [position, name] of output.entries()) {
    const earlier = seen.get(columnNameKey(name));
    if (earlier !== undefined) return { kind: "duplicate", name, columns: [describe(earlier), describe(position)] };
    seen.set(columnNameKey(name), position);
  }
  return { keep, names: output };
}

/**
 * The columns a columns-hash policy hashes, spelled as in messages. A name is a message name
 * or, for a renamed column, its name in the table.
 */
export function partitionColumns(hashed: readonly string[], names: readonly string[], choice: ColumnChoice): string[] | ColumnProblem {
  const out: string[] = [];
  for (const name of hashed) {
    let position = findColumn(choice.names, name);
    if (position < 0) {
      const index = findColumn(names, name);
      if (index < 0) return { kind: "missing", part: "partition", name };
      position = choice.keep.indexOf(index);
      if (position < 0) return { kind: "left-out", name };
    }
    out.push(choice.names[position] as string);
  }
  return out;
}

/** Every column a row filter names, once each. */
export function filterColumnNames(expr: FilterExpr): string[] {
  const names = new Set<string>();
  const walk = (e: FilterExpr): void => {
    if ("args" in e) e.args.forEach(walk);
    else if ("arg" in e) walk(e.arg);
    else names.add(e.column);
  };
  walk(expr);
  return [...names];
}

/** Every problem a rule's column names have with a table of these column names (for the precheck). */
export function ruleColumnProblems(rule: ObjectRule, names: readonly string[]): ColumnProblem[] {
  const problems: ColumnProblem[] = [];
  const choice = chooseColumns(names, rule);
  if (isColumnProblem(choice)) problems.push(choice);
  else if (rule.partition?.policy === "columns-hash") {
    const hashed = partitionColumns(rule.partition.columns, names, choice);
    if (isColumnProblem(hashed)) problems.push(hashed);
  }
  if (rule.filter !== null) {
    for (const name of filterColumnNames(rule.filter.expr)) if (findColumn(names, name) < 0) problems.push({ kind: "missing", part: "filter", name });
  }
  return problems;
}

/** `the row filter at f:l:c` names column x, which table d.t does not have. */
export function missingColumnText(where: string, name: string, table: string): string {
  return `${where} names column ${name}, which table ${table} does not have`;
}

export const MISSING_COLUMN_FIX = "fix the name in the spec (column names match in any case), or restore the column";

const partWhere: Record<Extract<ColumnProblem, { kind: "missing" }>["part"], string> = {
  include: "columns { include }",
  exclude: "columns { exclude }",
  rename: "columns { rename }",
  filter: "row filter",
  partition: "partition = columns(...)",
};

/** The problem as a sentence naming the spec location and the table, with how to fix it. */
export function describeColumnProblem(problem: ColumnProblem, rule: ObjectRule, table: string): { message: string; fix: string } {
  // Plans written by hand may leave the location out.
  const at = rule.origin ? `${rule.origin.file}:${rule.origin.line}:${rule.origin.column}` : "the spec";
  switch (problem.kind) {
    case "missing":
      return { message: missingColumnText(`${partWhere[problem.part]} at ${at}`, problem.name, table), fix: MISSING_COLUMN_FIX };
    case "left-out":
      return {
        message: `partition = columns(...) at ${at} names column ${problem.name}, which the columns block leaves out of table ${table}'s messages`,
        fix: "hash columns the messages keep, or keep the column",
      };
    case "duplicate":
      return {
        message: `columns at ${at} give table ${table} two columns named ${problem.name}: ${problem.columns[0]} and ${problem.columns[1]}`,
        fix: "rename one of them to a name no other column has, or leave one out with exclude",
      };
  }
}

/** The problem as the runtime reports it: a configuration error, before any row is sent. */
export function columnProblemError(problem: ColumnProblem, rule: ObjectRule, table: string): RuntimeError {
  const { message, fix } = describeColumnProblem(problem, rule, table);
  return new RuntimeError("config", message, { hint: fix });
}
