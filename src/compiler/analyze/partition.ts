// `partition = table-hash` or `partition = columns("tenant_id", "id")` → PartitionPolicy.
import type { Attribute } from "../ast.js";
import type { PartitionPolicy } from "../../generated/plan.js";
import type { DecodeContext } from "./context.js";

const partitionWords = ["partition-zero", "table-hash", "primary-key-hash"] as const;

export function decodePartition(ctx: DecodeContext, attr: Attribute): PartitionPolicy | undefined {
  const value = attr.value;
  if (value.kind === "call" && value.args !== null) {
    if (value.name.name === "columns" && value.args.length === 0) {
      ctx.bag.report("badArguments", value.span, "columns() needs at least one column name", 'e.g. partition = columns("customer_id")');
      return undefined;
    }
    const args = ctx.values.call(value, "partition", { columns: value.args.length });
    if (!args) return undefined;
    const columns: string[] = [];
    for (const arg of args) {
      if (arg.kind !== "string" || arg.value === "") ctx.values.wrongType(arg, "each column of columns()", "a non-empty string");
      else columns.push(arg.value);
    }
    if (new Set(columns).size !== columns.length) {
      ctx.bag.report("badArguments", value.span, "columns() lists a column twice");
      return undefined;
    }
    return columns.length === args.length ? { policy: "columns-hash", columns: columns as [string, ...string[]] } : undefined;
  }
  const word = ctx.values.word(attr, [...partitionWords, "columns"] as const);
  if (word === "columns") {
    ctx.bag.report("badArguments", value.span, "columns needs the column names", 'write partition = columns("customer_id")');
    return undefined;
  }
  return word === undefined ? undefined : { policy: word };
}

export function describePartition(policy: PartitionPolicy): string {
  return policy.policy === "columns-hash" ? `columns(${policy.columns.map((c) => JSON.stringify(c)).join(", ")})` : policy.policy;
}
