// Expected messages against actual ones, in order. An expectation checks what it lists: the topic
// always, the partition and key when given, and of the decoded message only the top-level fields
// it names, each compared whole (so `after = { ... }` must list every column the message has).
import type { Span } from "../compiler/index.js";
import type { Expectation } from "./model.js";

export interface ActualMessage {
  topic: string;
  partition: number;
  /** The key as JSON (a `[database, table, key...]` array), or null. */
  key: unknown;
  /** The message as `dts tail` prints its value. */
  value: Record<string, unknown>;
}

export interface Failure {
  span: Span;
  message: string;
  /** What was expected and what came, in the same shape; null when there is no such message. */
  expected: Record<string, unknown> | null;
  actual: Record<string, unknown> | null;
}

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The expectation as a plain object: only what it checks. */
export function expectedShape(e: Expectation): Record<string, unknown> {
  return {
    topic: e.topic,
    ...(e.partition === null ? {} : { partition: e.partition }),
    ...(e.key === undefined ? {} : { key: e.key }),
    ...(e.value === null ? {} : { value: { ...e.value } }),
  };
}

/** The actual message cut to the fields the expectation checks, in its order. */
export function actualShape(actual: ActualMessage, e: Expectation | null, defaultFields: readonly string[]): Record<string, unknown> {
  const fields = e ? (e.value === null ? [] : Object.keys(e.value)) : defaultFields;
  const value: Record<string, unknown> = Object.create(null);
  for (const field of fields) value[field] = Object.hasOwn(actual.value, field) ? actual.value[field] : "(no such field)";
  return {
    topic: actual.topic,
    ...(!e || e.partition !== null ? { partition: actual.partition } : {}),
    ...(!e || e.key !== undefined ? { key: actual.key } : {}),
    ...(!e || e.value !== null ? { value: { ...value } } : {}),
  };
}

export function compareMessages(expected: Expectation[], actual: ActualMessage[], caseSpan: Span, defaultFields: readonly string[]): Failure[] {
  const failures: Failure[] = [];
  const count = Math.max(expected.length, actual.length);
  for (let i = 0; i < count; i++) {
    const e = expected[i];
    const a = actual[i];
    const ordinal = `message ${i + 1}`;
    if (e && a) {
      const want = expectedShape(e);
      const got = actualShape(a, e, defaultFields);
      if (!sameJson(JSON.parse(JSON.stringify(want)), JSON.parse(JSON.stringify(got)))) failures.push({ span: e.span, message: `${ordinal} differs from the expectation`, expected: want, actual: got });
    } else if (e) {
      failures.push({ span: e.span, message: `${ordinal} was expected on ${e.topic}, but the case produced ${actual.length} message(s)`, expected: expectedShape(e), actual: null });
    } else if (a) {
      failures.push({ span: caseSpan, message: `${ordinal} on ${a.topic} was not expected (the case expects ${expected.length})`, expected: null, actual: actualShape(a, null, defaultFields) });
    }
  }
  return failures;
}
