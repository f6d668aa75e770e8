// The columns a rule names (columns block, row filter, its own columns-hash partition) against
// each selected table's columns: a name the table lacks, or two output columns with one name,
// would stop the run at that table's first row, so the precheck fails on it first. The
// decision is the runtime's own (runtime/select/column-names.ts); only tables whose rule names
// columns have their columns read.
import type mysql from "mysql2/promise";
import type { ObjectRule, Pipeline } from "../generated/plan.js";
import { chooseColumns, describeColumnProblem, isColumnProblem, ruleColumnProblems } from "../runtime/select/column-names.js";
import { ObjectSelector } from "../runtime/select/object-selector.js";
import { fail, notChecked, pass, skipped, someOf, warn, type CheckResult } from "./check-result.js";
import type { Readable, SourceFacts, TableFacts } from "./source-facts.js";
import { qualified, selectedTables } from "./tables.js";

/** A table's column names in table order, and those of the key the server names rows by (COLUMN_KEY PRI). */
export interface ColumnList {
  names: string[];
  key: string[];
}

/** Column lists by `database\0table`. */
export type TableColumns = Map<string, ColumnList>;

const tableId = (database: string, table: string): string => `${database}\u0000${table}`;

function namesColumns(rule: ObjectRule): boolean {
  const { include, exclude, rename } = rule.columns;
  return include !== null || exclude.length > 0 || Object.keys(rename).length > 0 || rule.filter !== null || rule.partition?.policy === "columns-hash";
}

/** The selected tables whose rule names columns, each with that rule. */
function tablesNamingColumns(pipeline: Pipeline, tables: readonly TableFacts[]): { table: TableFacts; rule: ObjectRule }[] {
  const selector = new ObjectSelector(pipeline.objects);
  return selectedTables(pipeline, tables).flatMap((table) => {
    const rule = selector.ruleFor(table.database, table.table);
    return rule && namesColumns(rule) ? [{ table, rule }] : [];
  });
}

/** Reads the columns of the selected tables whose rule names columns (nothing when none does). */
export async function readRuleColumns(conn: mysql.Connection, pipeline: Pipeline, facts: SourceFacts): Promise<Readable<TableColumns>> {
  const columns: TableColumns = new Map();
  if (!facts.tables.ok) return { ok: true, value: columns };
  const wanted = tablesNamingColumns(pipeline, facts.tables.value);
  if (wanted.length === 0) return { ok: true, value: columns };
  const ids = new Set(wanted.map(({ table }) => tableId(table.database, table.table)));
  try {
    const [rows] = await conn.query(
      "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_KEY AS k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
      [[...new Set(wanted.map(({ table }) => table.database))]],
    );
    for (const row of rows as { s: string; t: string; c: string; k: string }[]) {
      const id = tableId(row.s, row.t);
      if (!ids.has(id)) continue;
      const list = columns.get(id) ?? { names: [], key: [] };
      list.names.push(row.c);
      if (row.k === "PRI") list.key.push(row.c);
      columns.set(id, list);
    }
    return { ok: true, value: columns };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function checkTableColumns(facts: SourceFacts, pipeline: Pipeline, columns: Readable<TableColumns>): CheckResult {
  if (!facts.tables.ok) return skipped("table-columns", "information_schema cannot be read");
  if (!columns.ok) return notChecked("table-columns", `the selected tables' columns cannot be read (${columns.error})`);
  const wanted = tablesNamingColumns(pipeline, facts.tables.value);
  const found: { message: string; fix: string }[] = [];
  let checked = 0;
  for (const { table, rule } of wanted) {
    const list = columns.value.get(tableId(table.database, table.table));
    // information_schema lists only columns the account may see; without any, nothing to compare.
    if (!list) continue;
    checked++;
    for (const problem of ruleColumnProblems(rule, list.names)) found.push(describeColumnProblem(problem, rule, qualified(table)));
  }
  if (found.length > 0) {
    const fixes = [...new Set(found.map((f) => f.fix))];
    return fail("table-columns", someOf(found.map((f) => f.message), 3), fixes.join("; "));
  }
  const keyless = wanted.flatMap(({ table, rule }) => keyColumnsLeftOut(table, rule, columns.value));
  if (keyless.length > 0) {
    return warn("table-columns", `${someOf(keyless, 3)}: their messages carry no message key (a compacted topic refuses them) and primary-key-hash sends their rows to partition 0`, "keep the key columns (a consumer that does not need them can ignore them), or accept key-less messages");
  }
  return pass("table-columns", wanted.length === 0 ? "no rule names columns" : `the columns ${checked} table(s) name in the spec exist and keep distinct names`);
}

/** "columns at F:L:C leave out key column id of table t", when the rule's column choice drops part of the key. */
function keyColumnsLeftOut(table: TableFacts, rule: ObjectRule, columns: TableColumns): string[] {
  const list = columns.get(tableId(table.database, table.table));
  if (!list || list.key.length === 0) return [];
  const choice = chooseColumns(list.names, rule);
  if (isColumnProblem(choice)) return [];
  const kept = new Set(choice.keep.map((index) => list.names[index]));
  const lost = list.key.filter((name) => !kept.has(name));
  if (lost.length === 0) return [];
  const where = `${rule.origin.file}:${rule.origin.line}:${rule.origin.column}`;
  return [`columns at ${where} leave out key column${lost.length > 1 ? "s" : ""} ${lost.join(", ")} of table ${qualified(table)}`];
}
