// Block labels that select names: "orders" (exact), match("^audit_\d+$") (regex), glob("log_*").
import type { Label } from "../ast.js";
import type { NameMatcher } from "../../generated/plan.js";
import type { DecodeContext } from "./context.js";
import { compileNamePattern } from "../../plan/name-pattern.js";

/**
 * Anchors a regex so it must match the whole name, as the plan requires. `^a|b$` only looks
 * anchored, so a source with an alternation is always wrapped.
 */
export function anchorRegex(source: string): string {
  const anchored = source.startsWith("^") && source.endsWith("$") && !source.endsWith("\\$") && !source.includes("|");
  return anchored ? source : `^(?:${source})$`;
}

/** `*` any run, `?` one character, `[...]` a class; everything else literal. */
export function globToRegex(glob: string): string {
  let out = "^";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === "*") out += ".*";
    else if (ch === "?") out += ".";
    else if (ch === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close > i + 1) {
        const body = glob.slice(i + 1, close);
        out += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
        i = close;
      } else out += "\\[";
    } else out += ch.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return `${out}$`;
}

export function matcherSubject(matcher: NameMatcher): string {
  return "exact" in matcher ? `"${matcher.exact}"` : `match("${matcher.pattern}")`;
}

export function decodeMatcher(ctx: DecodeContext, label: Label, what: string): NameMatcher | undefined {
  if (label.kind === "string") {
    if (label.value === "") {
      ctx.bag.report("badLabel", label.span, `the ${what} name cannot be empty`);
      return undefined;
    }
    return { exact: label.value };
  }
  if (label.args === null) {
    ctx.bag.report("badLabel", label.span, `${what} names are quoted: ${what} "${label.name.name}"`, `write ${what} "${label.name.name}", or match("regex") / glob("pattern")`);
    return undefined;
  }
  const ref = ctx.values.stringArgument(label, what, { match: 1, glob: 1 });
  if (!ref) return undefined;
  // The written pattern is checked before anchoring, so RE2's message quotes the user's text.
  const source = ref.fn === "glob" ? globToRegex(ref.arg) : ref.arg;
  const compiled = compileNamePattern(source);
  if (!compiled.ok) {
    const [kind, hint] = ref.fn === "glob" ? ["glob", "a glob understands *, ? and classes such as [a-z] or [!0-9]"] : ["regular expression", compiled.hint];
    ctx.bag.report("badPattern", label.args[0]?.span ?? label.span, `invalid ${kind}: ${compiled.message}`, hint);
    return undefined;
  }
  return { pattern: ref.fn === "glob" ? source : anchorRegex(source) };
}
