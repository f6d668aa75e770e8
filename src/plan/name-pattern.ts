// What a name pattern in a plan accepts, decided in one place: the compiler checks patterns and
// compares rules with it, the runtime and the precheck select tables with it. Patterns are RE2
// syntax run by re2js, in time linear in the name, so no spec can make selection backtrack
// exponentially (`^(a+)+$` against "aaa…a!"). The price is what RE2 cannot run in linear time:
// backreferences and lookaround are rejected with a reason.
import { RE2JS, RE2JSException, RE2JSSyntaxException } from "re2js";
import type { NameMatcher } from "../generated/plan.js";

export type NameTest = (name: string) => boolean;

export interface PatternProblem {
  message: string;
  hint: string;
}

export type CompiledPattern = { ok: true; test: NameTest } | ({ ok: false } & PatternProblem);

/** Constructs RE2 leaves out on purpose, recognised by the fragment RE2 reports. */
const unsupported: [RegExp, PatternProblem][] = [
  [
    /^\(\?<?[=!]/,
    {
      message: "lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported",
      hint: "patterns run in linear time (RE2 syntax); to leave names out, select them in an earlier rule: the first matching rule wins",
    },
  ],
  [
    /^\\(?:[1-9]|k)/,
    {
      message: "backreferences (\\1, \\k<name>) are not supported",
      hint: "patterns run in linear time (RE2 syntax) and cannot refer back to a group; list the names or match them more broadly",
    },
  ],
];

const syntaxHint = "patterns use RE2 syntax, as Go's regexp does";
const escapeHint = 'in a .dts string a regex backslash is doubled: match("^audit_\\\\d+$"); RE2 writes code points as \\x{e9}';

function describeProblem(error: RE2JSException): PatternProblem {
  if (!(error instanceof RE2JSSyntaxException)) return { message: error.message, hint: syntaxHint };
  const fragment = error.getPattern() ?? "";
  for (const [construct, problem] of unsupported) if (construct.test(fragment)) return problem;
  const description = error.getDescription();
  return { message: fragment ? `${description}: ${fragment}` : description, hint: description === "invalid escape sequence" ? escapeHint : syntaxHint };
}

/** Compiles `pattern` to a test of whole names. */
export function compileNamePattern(pattern: string): CompiledPattern {
  try {
    const compiled = RE2JS.compile(pattern);
    return { ok: true, test: (name) => compiled.matches(name) };
  } catch (error) {
    if (error instanceof RE2JSException) return { ok: false, ...describeProblem(error) };
    throw error;
  }
}

/** The test a plan matcher stands for; a pattern the engine rejects throws its problem. */
export function nameTest(matcher: NameMatcher): NameTest {
  if ("exact" in matcher) {
    const exact = matcher.exact;
    return (name) => name === exact;
  }
  const compiled = compileNamePattern(matcher.pattern);
  if (!compiled.ok) throw new InvalidNamePattern(matcher.pattern, compiled);
  return compiled.test;
}

export class InvalidNamePattern extends Error {
  constructor(
    readonly pattern: string,
    readonly problem: PatternProblem,
  ) {
    super(`the pattern ${JSON.stringify(pattern)} cannot be used: ${problem.message}`);
  }
}
