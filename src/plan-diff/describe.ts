// Plan values as the short text a reviewer reads in a change. Secret references show the
// reference (env/file), never a value; a URL shows no password.
import type { NameMatcher, ObjectRule, PartitionPolicy } from "../generated/plan.js";
import { maskUrlPassword } from "../plan/index.js";

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** 43200 → "12h", 5400 → "1h30m", as the spec writes durations. */
export function durationText(seconds: number): string {
  const units: [string, number][] = [["d", 86_400], ["h", 3_600], ["m", 60], ["s", 1]];
  let rest = seconds;
  const parts = units.flatMap(([unit, size]) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return n ? [`${n}${unit}`] : [];
  });
  return parts.join("") || "0s";
}

export function partitionText(policy: PartitionPolicy): string {
  return policy.policy === "columns-hash" ? `columns(${policy.columns.join(", ")})` : policy.policy;
}

function matcherText(matcher: NameMatcher): string {
  return "exact" in matcher ? matcher.exact : `/${matcher.pattern}/`;
}

/** The rule as a reviewer names it: shop.orders, shop./^audit_\d+$/, or shop.* for a whole database. */
export function ruleName(rule: Pick<ObjectRule, "database" | "table">): string {
  return `${matcherText(rule.database)}.${rule.table ? matcherText(rule.table) : "*"}`;
}

/** Drops `origin` (where a value was written), which is no part of what a value means. */
export function withoutOrigin(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutOrigin);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "origin").map(([k, v]) => [k, withoutOrigin(v)]));
}

export function valueText(value: Json): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return maskUrlPassword(value);
  if (Array.isArray(value)) return value.map((v) => valueText(v) ?? "null").join(", ");
  if (!isObject(value)) return String(value);
  if (typeof value["env"] === "string") return `env("${value["env"]}")`;
  if (typeof value["file"] === "string" && Object.keys(withoutOrigin(value) as object).length === 1) return `file("${value["file"]}")`;
  if (value["literal"] === "redacted") return "a literal (not shown)";
  if (typeof value["policy"] === "string") return partitionText(value as PartitionPolicy);
  if (typeof value["url"] === "string") return maskUrlPassword(value["url"]);
  return JSON.stringify(withoutOrigin(value), (_, v: Json) => (typeof v === "string" ? maskUrlPassword(v) : v));
}
