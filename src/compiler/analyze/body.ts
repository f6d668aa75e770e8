// Reads the items of one block against the keys that block allows: unknown keys get a
// "did you mean", repeated keys are reported once each, and the rest are handed out by name.
import type { Attribute, Block, Item } from "../ast.js";
import { didYouMean, type DiagnosticBag } from "../diagnostics.js";

export interface BodyShape {
  /** What the block is called in messages, e.g. "the source block". */
  owner: string;
  attributes: readonly string[];
  /** Nested blocks; "many" may repeat. */
  blocks?: Readonly<Record<string, "one" | "many">>;
}

export class Body {
  private readonly attributes = new Map<string, Attribute>();
  private readonly blocks = new Map<string, Block[]>();

  constructor(items: Item[], shape: BodyShape, bag: DiagnosticBag) {
    // A Map, not the shape's object: `name in object` would accept constructor or toString.
    const blockKinds = new Map(Object.entries(shape.blocks ?? {}));
    const known = [...new Set([...shape.attributes, ...blockKinds.keys()])];
    const seen = new Map<string, Item>();
    for (const item of items) {
      const name = item.kind === "attribute" ? item.name : item.type;
      const allowed = item.kind === "attribute" ? shape.attributes.includes(name.name) : blockKinds.has(name.name);
      if (!allowed) {
        const otherForm = item.kind === "attribute" ? blockKinds.has(name.name) : shape.attributes.includes(name.name);
        if (otherForm) {
          const form = item.kind === "attribute" ? `a block: ${name.name} { ... }` : `an attribute: ${name.name} = ...`;
          bag.report("wrongType", name.span, `${name.name} in ${shape.owner} is written as ${form}`);
        } else {
          const kind = item.kind === "attribute" ? "unknownAttribute" : "unknownBlock";
          const what = item.kind === "attribute" ? "attribute" : "block";
          bag.report(kind, name.span, `unknown ${what} ${name.name} in ${shape.owner}`, didYouMean(name.name, known) ?? `${shape.owner} accepts: ${known.join(", ")}`);
        }
        continue;
      }
      const repeatable = item.kind === "block" && blockKinds.get(name.name) === "many";
      const previous = seen.get(name.name);
      if (previous && !repeatable) {
        bag.report("duplicateKey", name.span, `${name.name} is set more than once in ${shape.owner}`, `the first is at line ${previous.span.line}; keep one`);
        continue;
      }
      seen.set(name.name, item);
      if (item.kind === "attribute") this.attributes.set(name.name, item);
      else {
        const list = this.blocks.get(name.name);
        if (list) list.push(item);
        else this.blocks.set(name.name, [item]);
      }
    }
  }

  attribute(name: string): Attribute | undefined {
    return this.attributes.get(name);
  }

  block(name: string): Block | undefined {
    return this.blocks.get(name)?.[0];
  }

  blockList(name: string): Block[] {
    return this.blocks.get(name) ?? [];
  }
}
