// JSON values in the .dts syntax, both ways: an expectation written in a test file is read as the
// JSON `dts tail` prints, and --update writes actual messages back in the same syntax.
import type { Value } from "../compiler/index.js";

const words: Record<string, unknown> = { null: null, true: true, false: false };

/** The JSON a value stands for, or the value that cannot be read (strings, numbers, null, true, false, lists, maps). */
export function jsonOf(value: Value): { ok: true; json: unknown } | { ok: false; at: Value } {
  switch (value.kind) {
    case "string":
      return { ok: true, json: value.value };
    case "number": {
      const n = Number(value.text);
      // Integers beyond 2^53 stay exact as text: readable messages print big integers as strings.
      return { ok: true, json: Number.isSafeInteger(n) || !/^-?\d+$/.test(value.text) ? n : value.text };
    }
    case "call":
      return value.args === null && Object.hasOwn(words, value.name.name) ? { ok: true, json: words[value.name.name] } : { ok: false, at: value };
    case "list": {
      const items: unknown[] = [];
      for (const item of value.items) {
        const read = jsonOf(item);
        if (!read.ok) return read;
        items.push(read.json);
      }
      return { ok: true, json: items };
    }
    case "map": {
      // A null prototype: field names come from messages (a column may be called __proto__).
      const object: Record<string, unknown> = Object.create(null);
      for (const entry of value.entries) {
        const read = jsonOf(entry.value);
        if (!read.ok) return read;
        object[entry.key.name] = read.json;
      }
      return { ok: true, json: object };
    }
    default:
      return { ok: false, at: value };
  }
}

const bareKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** .dts text of a JSON value, on one line; `dts fmt` lays it out afterwards. */
export function dtsText(json: unknown): string {
  if (json === null || json === undefined) return "null";
  if (typeof json === "string") return JSON.stringify(json);
  if (typeof json === "number") return Number.isFinite(json) ? String(json) : "null";
  if (typeof json === "boolean") return String(json);
  if (typeof json === "bigint") return JSON.stringify(json.toString());
  if (Array.isArray(json)) return `[${json.map(dtsText).join(", ")}]`;
  const entries = Object.entries(json as Record<string, unknown>).map(([k, v]) => `${bareKey.test(k) ? k : JSON.stringify(k)} = ${dtsText(v)}`);
  return entries.length ? `{ ${entries.join(", ")} }` : "{}";
}
