// The generic half of the comparison: every path at which two plan values differ. The
// classifiers claim these paths; whatever none claims is still reported, so a plan field added
// later cannot change without the diff saying so.
import { withoutOrigin } from "./describe.js";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Paths ("destination/topic") where `a` and `b` differ; lists count as one value; `origin` is ignored. */
export function differingPaths(a: unknown, b: unknown): string[] {
  return walk(withoutOrigin(a), withoutOrigin(b), "");
}

function walk(a: unknown, b: unknown, path: string): string[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => walk(a[key], b[key], path ? `${path}/${key}` : key));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

/** Reads the value at a path from differingPaths. */
export function valueAt(root: unknown, path: string): unknown {
  return path.split("/").reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), root);
}

/** The longest of `prefixes` that `path` equals or lies under, if any. */
export function longestPrefix(path: string, prefixes: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const prefix of prefixes) {
    if ((path === prefix || path.startsWith(`${prefix}/`)) && prefix.length > (best?.length ?? -1)) best = prefix;
  }
  return best;
}
