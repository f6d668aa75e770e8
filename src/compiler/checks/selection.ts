// Rules are tried in order and the first match wins, so a rule that an earlier one fully
// covers can never apply: that is almost always a mistake (the same table selected twice).
//
// Earlier rules are indexed by what they name rather than compared pairwise, since a spec may
// select tens of thousands of tables one by one: a rule is looked up among earlier rules with the
// same database (exact name or pattern text) and among earlier database patterns that accept its
// name, so exact names cost a map probe and only patterns are tested.
import type { NameMatcher } from "../../generated/plan.js";
import type { DiagnosticBag } from "../diagnostics.js";
import type { DecodedRule } from "../analyze/objects.js";
import { matcherSubject } from "../analyze/matcher.js";
import { compileNamePattern, type NameTest } from "../../plan/name-pattern.js";
import { isSchemaChangeHelperTable } from "../../plan/schema-change-tables.js";

interface PatternEntry {
  /** The earliest rule that names this pattern. */
  index: number;
  test: NameTest;
}

/** The earlier rules of one database matcher, keyed by how they select tables. */
class TableIndex {
  allTables: number | undefined;
  readonly exact = new Map<string, number>();
  readonly patterns = new Map<string, PatternEntry>();

  add(table: NameMatcher | null, index: number, tests: PatternTests): void {
    if (table === null) this.allTables ??= index;
    else if ("exact" in table) {
      if (!this.exact.has(table.exact)) this.exact.set(table.exact, index);
    } else if (!this.patterns.has(table.pattern)) this.patterns.set(table.pattern, { index, test: tests.of(table.pattern) });
  }

  /** The earliest rule here whose table matcher accepts everything `table` accepts. */
  earliestCovering(table: NameMatcher | null): number | undefined {
    // Patterns leave schema-change tools' tables out, so only an exact name covers one.
    const toolTable = table !== null && "exact" in table && isSchemaChangeHelperTable(table.exact);
    const found = [toolTable ? undefined : this.allTables];
    if (table !== null && "exact" in table) {
      found.push(this.exact.get(table.exact));
      // Map order is insertion order, which is rule order: the first pattern that accepts wins.
      const covering = toolTable ? undefined : [...this.patterns.values()].find((entry) => entry.test(table.exact));
      found.push(covering?.index);
    } else if (table !== null) found.push(this.patterns.get(table.pattern)?.index);
    return earliest(found);
  }
}

class PatternTests {
  readonly #tests = new Map<string, NameTest>();

  /** Patterns reaching this check compiled when decoded; one that does not accepts nothing. */
  of(pattern: string): NameTest {
    let test = this.#tests.get(pattern);
    if (!test) {
      const compiled = compileNamePattern(pattern);
      test = compiled.ok ? compiled.test : () => false;
      this.#tests.set(pattern, test);
    }
    return test;
  }
}

function earliest(indexes: (number | undefined)[]): number | undefined {
  let best: number | undefined;
  for (const index of indexes) if (index !== undefined && (best === undefined || index < best)) best = index;
  return best;
}

function databaseKey(matcher: NameMatcher): string {
  return "exact" in matcher ? `=${matcher.exact}` : `~${matcher.pattern}`;
}

function describe(rule: DecodedRule): string {
  const { database, table } = rule.rule;
  return table === null ? `every table of ${matcherSubject(database)}` : `${matcherSubject(database)}.${matcherSubject(table)}`;
}

export function checkSelection(rules: DecodedRule[], bag: DiagnosticBag): void {
  const tests = new PatternTests();
  const byDatabase = new Map<string, TableIndex>();
  /** Database patterns in rule order, each with the index of its rules. */
  const databasePatterns: { test: NameTest; tables: TableIndex }[] = [];
  rules.forEach((later, index) => {
    const { database, table } = later.rule;
    const key = databaseKey(database);
    const candidates = [byDatabase.get(key)];
    if ("exact" in database) for (const p of databasePatterns) if (p.test(database.exact)) candidates.push(p.tables);
    const coveredBy = earliest(candidates.map((tables) => tables?.earliestCovering(table)));
    const earlier = coveredBy === undefined ? undefined : rules[coveredBy];
    if (earlier) {
      bag.report(
        "overlappingSelection",
        later.tableSpan,
        `${describe(later)} is already selected by ${describe(earlier)} at ${earlier.rule.origin.file}:${earlier.rule.origin.line}, so this rule never applies`,
      );
    }
    let tables = byDatabase.get(key);
    if (!tables) {
      tables = new TableIndex();
      byDatabase.set(key, tables);
      if (!("exact" in database)) databasePatterns.push({ test: tests.of(database.pattern), tables });
    }
    tables.add(table, index, tests);
  });
}
