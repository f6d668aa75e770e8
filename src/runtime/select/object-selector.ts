// Decides which rule, if any, handles a table: the first rule whose matchers accept both the
// database and the table. A spec may select 100,000 tables one by one, so rules are indexed by
// their exact database and table names: a lookup is a map probe plus a test of the rules that
// use patterns, not a pass over every rule. Answers are cached per table because every row
// event asks. Patterns never select online schema-change tools' copies of a table
// (plan/schema-change-tables.ts).
import type { ObjectRule } from "../../generated/plan.js";
import { InvalidNamePattern, nameTest, type NameTest } from "../../plan/name-pattern.js";
import { tableSelectionTest } from "../../plan/schema-change-tables.js";
import { RuntimeError } from "../errors.js";

interface CompiledRule {
  index: number;
  rule: ObjectRule;
  database: NameTest;
  table: NameTest;
}

function compileRule(rule: ObjectRule, index: number): CompiledRule {
  try {
    return { index, rule, database: nameTest(rule.database), table: tableSelectionTest(rule.table) };
  } catch (error) {
    if (!(error instanceof InvalidNamePattern)) throw error;
    const where = `${rule.origin.file}:${rule.origin.line}:${rule.origin.column}`;
    throw new RuntimeError("config", `the rule at ${where} has a pattern the plan cannot use: ${error.problem.message}`, { hint: error.problem.hint });
  }
}

/** The first rule in `rules` (in rule order) that accepts the table, or undefined. */
function firstAccepting(rules: readonly CompiledRule[] | undefined, database: string, table: string, before: number): CompiledRule | undefined {
  for (const compiled of rules ?? []) {
    if (compiled.index >= before) return undefined;
    if (compiled.database(database) && compiled.table(table)) return compiled;
  }
  return undefined;
}

export class ObjectSelector {
  /** Exact database → exact table → the first rule naming both. */
  readonly #exact = new Map<string, Map<string, CompiledRule>>();
  /** Exact database → its rules that take all tables or a table pattern, in order. */
  readonly #someTables = new Map<string, CompiledRule[]>();
  /** Rules with a database pattern, in order. */
  readonly #databasePatterns: CompiledRule[] = [];
  /** database → table → answer; nested so a lookup allocates no key. */
  readonly #cache = new Map<string, Map<string, ObjectRule | null>>();

  constructor(rules: readonly ObjectRule[]) {
    rules.forEach((rule, index) => {
      const compiled = compileRule(rule, index);
      if (!("exact" in rule.database)) this.#databasePatterns.push(compiled);
      else if (rule.table !== null && "exact" in rule.table) {
        const tables = this.#exact.get(rule.database.exact) ?? new Map<string, CompiledRule>();
        if (!tables.has(rule.table.exact)) tables.set(rule.table.exact, compiled);
        this.#exact.set(rule.database.exact, tables);
      } else {
        const list = this.#someTables.get(rule.database.exact) ?? [];
        list.push(compiled);
        this.#someTables.set(rule.database.exact, list);
      }
    });
  }

  /** The rule handling `database.table`, or null when the table is not selected. */
  ruleFor(database: string, table: string): ObjectRule | null {
    let answers = this.#cache.get(database);
    const cached = answers?.get(table);
    if (cached !== undefined) return cached;
    let found = this.#exact.get(database)?.get(table);
    found = firstAccepting(this.#someTables.get(database), database, table, found?.index ?? Infinity) ?? found;
    found = firstAccepting(this.#databasePatterns, database, table, found?.index ?? Infinity) ?? found;
    const rule = found?.rule ?? null;
    if (!answers) this.#cache.set(database, (answers = new Map()));
    answers.set(table, rule);
    return rule;
  }

  /**
   * The name consumers know the database by, for DDL that names no table in it: the rename of
   * the first rule (in spec order) that may select its tables; null when that rule keeps it.
   */
  databaseTarget(database: string): string | null {
    const candidates = [...(this.#exact.get(database)?.values() ?? []), ...(this.#someTables.get(database) ?? []), ...this.#databasePatterns.filter((c) => c.database(database))];
    const first = candidates.reduce<CompiledRule | null>((best, c) => (best === null || c.index < best.index ? c : best), null);
    return first?.rule.target.database ?? null;
  }

  /** Whether any rule may select tables of this database (used for database-level DDL). */
  selectsDatabase(database: string): boolean {
    return this.#exact.has(database) || this.#someTables.has(database) || this.#databasePatterns.some((compiled) => compiled.database(database));
  }
}
