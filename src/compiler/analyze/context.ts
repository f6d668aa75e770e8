// What every decoder shares: the diagnostics, the value readers and the literal secrets found.
import type { Attribute, Span } from "../ast.js";
import type { SecretRef, SourceLocation } from "../../generated/plan.js";
import type { DiagnosticBag } from "../diagnostics.js";
import { ValueReader } from "./values.js";

export interface LiteralSecret {
  /** JSON pointer of the SecretRef inside its pipeline, e.g. /source/password. */
  pointer: string;
  value: string;
}

/** Where a reference was written, carried into the plan so run-time errors can point back at it. */
export function origin(span: Span): SourceLocation {
  return { file: span.file, line: span.line, column: span.column };
}

function reference(ref: { fn: string; arg: string }, span: Span): SecretRef {
  return ref.fn === "env" ? { env: ref.arg, origin: origin(span) } : { file: ref.arg, origin: origin(span) };
}

export class DecodeContext {
  readonly values: ValueReader;
  readonly literalSecrets: LiteralSecret[] = [];

  constructor(readonly bag: DiagnosticBag) {
    this.values = new ValueReader(bag);
  }

  /** env("NAME") or file("path"); a quoted literal is accepted with a warning and kept out of the plan. */
  secret(attr: Attribute, pointer: string): SecretRef | undefined {
    const value = attr.value;
    if (value.kind === "string") {
      this.bag.report("literalSecret", value.span, `${attr.name.name} is written in the spec as a literal; secrets in git leak`, `reference it instead: ${attr.name.name} = env("NAME") or file("path")`);
      this.literalSecrets.push({ pointer, value: value.value });
      return { literal: "redacted", origin: origin(value.span) };
    }
    // A bare word here may be the secret itself, unquoted: the message does not repeat it.
    if (value.kind === "call" && value.args === null) {
      this.bag.report("wrongType", value.span, `${attr.name.name} must be env("NAME") or file("path"), not a bare word`, `reference it: ${attr.name.name} = env("NAME") or file("path")`);
      return undefined;
    }
    if (value.kind !== "call") return this.values.wrongType(value, attr.name.name, 'env("NAME") or file("path")');
    const ref = this.values.stringArgument(value, attr.name.name, { env: 1, file: 1 });
    if (!ref) return undefined;
    return reference(ref, value.span);
  }

  /** A plain string, or env("NAME") / file("path") for values some teams keep out of git. */
  stringOrSecret(attr: Attribute): string | SecretRef | undefined {
    const value = attr.value;
    if (value.kind === "string") return value.value.length > 0 ? value.value : this.empty(attr);
    if (value.kind === "call" && value.args !== null) {
      const ref = this.values.stringArgument(value, attr.name.name, { env: 1, file: 1 });
      if (!ref) return undefined;
      return reference(ref, value.span);
    }
    return this.values.wrongType(value, attr.name.name, 'a string or env("NAME")');
  }

  private empty(attr: Attribute): undefined {
    this.bag.report("wrongType", attr.value.span, `${attr.name.name} cannot be empty`);
    return undefined;
  }

  /** The span to blame for a missing attribute: the block's header. */
  missing(owner: Span, key: string, where: string, example: string): void {
    this.bag.report("missingAttribute", owner, `${where} needs ${key}`, `add ${example}`);
  }
}
