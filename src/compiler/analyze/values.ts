// Typed readers for attribute values. Each reports what is wrong with a value at its span and
// returns undefined, so callers fall back to a default and keep checking the rest.
import type { Attribute, CallValue, Span, Value } from "../ast.js";
import { didYouMean, type DiagnosticBag } from "../diagnostics.js";
import { inRange, type Range } from "./limits.js";

function describeValue(value: Value): string {
  switch (value.kind) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "quantity":
      return `${value.text}`;
    case "condition":
      return "a condition";
    case "list":
      return "a list";
    case "map":
      return "a map";
    case "call":
      return value.args === null ? `the word ${value.name.name}` : `${value.name.name}(...)`;
  }
}

export class ValueReader {
  constructor(readonly bag: DiagnosticBag) {}

  wrongType(value: Value, key: string, expected: string, hint?: string): undefined {
    this.bag.report("wrongType", value.span, `${key} must be ${expected}, not ${describeValue(value)}`, hint);
    return undefined;
  }

  /** A bare word (or the same word quoted) from a fixed set. */
  word<T extends string>(attr: Attribute, options: readonly T[]): T | undefined {
    const value = attr.value;
    const word = value.kind === "call" && value.args === null ? value.name.name : value.kind === "string" ? value.value : undefined;
    if (word === undefined) return this.wrongType(value, attr.name.name, `one of ${options.join(", ")}`);
    if ((options as readonly string[]).includes(word)) return word as T;
    this.bag.report("unknownWord", value.span, `${attr.name.name} cannot be ${word}; expected one of ${options.join(", ")}`, didYouMean(word, options));
    return undefined;
  }

  boolean(attr: Attribute): boolean | undefined {
    const word = this.word(attr, ["true", "false"] as const);
    return word === undefined ? undefined : word === "true";
  }

  string(attr: Attribute, what = "a string"): string | undefined {
    const value = attr.value;
    if (value.kind !== "string") return this.wrongType(value, attr.name.name, what, value.kind === "call" && value.args === null ? `quote it: "${value.name.name}"` : undefined);
    return value.value;
  }

  integer(attr: Attribute, range: Range): number | undefined {
    return this.integerValue(attr.value, attr.name.name, range);
  }

  integerValue(value: Value, key: string, range: Range): number | undefined {
    if (value.kind === "number" && !/^-?\d+$/.test(value.text)) {
      this.bag.report("wrongType", value.span, `${key} must be a whole number; got ${value.text}`);
      return undefined;
    }
    if (value.kind !== "number") return this.wrongType(value, key, "a whole number");
    const n = Number(value.text);
    if (!inRange(n, range)) {
      this.bag.report("outOfRange", value.span, `${key} must be between ${range.min} and ${range.max}; got ${value.text}`, range.hint);
      return undefined;
    }
    return n;
  }

  stringList(attr: Attribute, minItems = 0): { items: string[]; spans: Span[] } | undefined {
    const value = attr.value;
    if (value.kind !== "list") return this.wrongType(value, attr.name.name, "a list of strings", value.kind === "string" ? `write [${JSON.stringify(value.value)}]` : undefined);
    const items: string[] = [];
    const spans: Span[] = [];
    for (const item of value.items) {
      if (item.kind !== "string") {
        this.wrongType(item, `each item of ${attr.name.name}`, "a string");
        continue;
      }
      items.push(item.value);
      spans.push(item.span);
    }
    if (value.items.length < minItems) {
      this.bag.report("wrongType", value.span, `${attr.name.name} needs at least ${minItems} item${minItems === 1 ? "" : "s"}`);
      return undefined;
    }
    return { items, spans };
  }

  /** Checks a call's name and argument count; returns its arguments when it is `name(...)`. */
  call(value: CallValue, key: string, functions: Record<string, number>): Value[] | undefined {
    // Own keys only: a function named constructor or toString is unknown, not Object's member.
    const arity = Object.hasOwn(functions, value.name.name) ? functions[value.name.name] : undefined;
    if (arity === undefined) {
      const known = Object.keys(functions).map((f) => `${f}(...)`);
      this.bag.report("unknownFunction", value.name.span, `unknown function ${value.name.name} for ${key}`, didYouMean(value.name.name, Object.keys(functions)) ?? `expected ${known.join(" or ")}`);
      return undefined;
    }
    const args = value.args ?? [];
    if (args.length !== arity) {
      this.bag.report("badArguments", value.span, `${value.name.name}() takes ${arity} argument${arity === 1 ? "" : "s"}, got ${args.length}`);
      return undefined;
    }
    return args;
  }

  /** A single string argument, as in env("NAME"). */
  stringArgument(value: CallValue, key: string, functions: Record<string, 1>): { fn: string; arg: string } | undefined {
    const args = this.call(value, key, functions);
    const first = args?.[0];
    if (!first) return undefined;
    if (first.kind !== "string" || first.value.length === 0) {
      this.bag.report("badArguments", first.span, `${value.name.name}() takes a non-empty string`);
      return undefined;
    }
    return { fn: value.name.name, arg: first.value };
  }
}
