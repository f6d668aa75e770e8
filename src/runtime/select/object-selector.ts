// Decides which rule, if any, handles a table: the first rule whose matchers accept both the
// database and the table. Answers are cached per table because every row event asks.
import type { NameMatcher, ObjectRule } from "../../generated/plan.js";

type Matcher = (name: string) => boolean;

function compileMatcher(matcher: NameMatcher): Matcher {
  if ("exact" in matcher) {
    const exact = matcher.exact;
    return (name) => name === exact;
  }
  const pattern = new RegExp(`^(?:${matcher.pattern})$`, "u");
  return (name) => pattern.test(name);
}

interface CompiledRule {
  rule: ObjectRule;
  database: Matcher;
  table: Matcher | null;
}

export class ObjectSelector {
  readonly #rules: CompiledRule[];
  readonly #cache = new Map<string, ObjectRule | null>();

  constructor(rules: readonly ObjectRule[]) {
    this.#rules = rules.map((rule) => ({ rule, database: compileMatcher(rule.database), table: rule.table === null ? null : compileMatcher(rule.table) }));
  }

  /** The rule handling `database.table`, or null when the table is not selected. */
  ruleFor(database: string, table: string): ObjectRule | null {
    const key = `${database}\u0000${table}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    let found: ObjectRule | null = null;
    for (const compiled of this.#rules) {
      if (compiled.database(database) && (compiled.table === null || compiled.table(table))) {
        found = compiled.rule;
        break;
      }
    }
    this.#cache.set(key, found);
    return found;
  }

  /** Whether any rule may select tables of this database (used for database-level DDL). */
  selectsDatabase(database: string): boolean {
    return this.#rules.some((compiled) => compiled.database(database));
  }
}
