// Every field of the plan schema has a classification, so a field added to the plan later fails
// here until someone decides what changing it does to consumers (the differ would still report
// it, as an unclassified caution).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipelineFields, ruleFields } from "../../src/plan-diff/index.js";

interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
}

const schema = JSON.parse(readFileSync(join(import.meta.dirname, "../../schemas/plan.schema.json"), "utf8")) as { $defs: Record<string, Schema> };

function resolve(node: Schema): Schema {
  return node.$ref ? resolve(schema.$defs[node.$ref.replace("#/$defs/", "")] as Schema) : node;
}

/** Property paths under `node` down to the first one `covered` accepts; `origin` is where, not what. */
function uncovered(node: Schema, path: string, covered: (path: string) => boolean): string[] {
  if (path && covered(path)) return [];
  const resolved = resolve(node);
  const branches = [resolved, ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])].map(resolve);
  const properties = branches.flatMap((b) => Object.entries(b.properties ?? {}));
  if (properties.length === 0) return [path];
  return [...new Set(properties.filter(([key]) => key !== "origin").flatMap(([key, child]) => uncovered(child, path ? `${path}/${key}` : key, covered)))];
}

const under = (fields: readonly string[]) => (path: string) => fields.some((f) => path === f || path.startsWith(`${f}/`));

describe("plan --diff covers the plan schema", () => {
  it("classifies every pipeline field", () => {
    expect(uncovered(schema.$defs["Pipeline"] as Schema, "", under(pipelineFields.map((f) => f.path)))).toEqual([]);
  });

  it("compares every table rule field", () => {
    expect(uncovered(schema.$defs["ObjectRule"] as Schema, "", under(ruleFields))).toEqual([]);
  });

  it("names only fields the schema has", () => {
    // Three levels reach every named field; the filter expression below them recurses forever.
    const all = (node: Schema, path: string): string[] => {
      if (path.split("/").length > 3) return [path];
      const resolved = resolve(node);
      const branches = [resolved, ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])].map(resolve);
      return [path, ...branches.flatMap((b) => Object.entries(b.properties ?? {}).flatMap(([k, c]) => (k === "origin" ? [] : all(c, path ? `${path}/${k}` : k))))];
    };
    const pipelinePaths = new Set(all(schema.$defs["Pipeline"] as Schema, ""));
    const rulePaths = new Set(all(schema.$defs["ObjectRule"] as Schema, ""));
    expect(pipelineFields.map((f) => f.path).filter((p) => !pipelinePaths.has(p))).toEqual([]);
    expect(ruleFields.filter((p) => !rulePaths.has(p))).toEqual([]);
  });
});
