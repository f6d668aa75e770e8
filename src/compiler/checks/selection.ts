// Rules are tried in order and the first match wins, so a rule that an earlier one fully
// covers can never apply: that is almost always a mistake (the same table selected twice).
import type { NameMatcher } from "../../generated/plan.js";
import type { DiagnosticBag } from "../diagnostics.js";
import type { DecodedRule } from "../decode/objects.js";
import { matcherSubject } from "../decode/matcher.js";

/** Whether every name `later` accepts is accepted by `earlier`, as far as can be decided. */
function covers(earlier: NameMatcher | null, later: NameMatcher | null): boolean {
  if (earlier === null) return true;
  if (later === null) return false;
  if ("exact" in earlier) return "exact" in later && later.exact === earlier.exact;
  if ("exact" in later) return new RegExp(earlier.pattern).test(later.exact);
  return earlier.pattern === later.pattern;
}

function describe(rule: DecodedRule): string {
  const { database, table } = rule.rule;
  return table === null ? `every table of ${matcherSubject(database)}` : `${matcherSubject(database)}.${matcherSubject(table)}`;
}

export function checkSelection(rules: DecodedRule[], bag: DiagnosticBag): void {
  rules.forEach((later, i) => {
    for (const earlier of rules.slice(0, i)) {
      if (covers(earlier.rule.database, later.rule.database) && covers(earlier.rule.table, later.rule.table)) {
        const at = `${earlier.rule.origin.file}:${earlier.rule.origin.line}`;
        bag.report(
          "overlappingSelection",
          later.tableSpan,
          `${describe(later)} is already selected by ${describe(earlier)} at ${at}, so this rule never applies`,
          "the first matching rule wins: remove this one, or move it above the broader rule",
        );
        break;
      }
    }
  });
}
