// A duration setting (retry_window, max_delay, heartbeat period and interval): a number glued to
// a unit, within its range. Every one reports the same DTS2008/DTS2009 messages at its value.
import type { Attribute } from "../ast.js";
import type { DecodeContext } from "./context.js";
import { inRange, type Range } from "./limits.js";
import { formatDuration, parseDuration } from "./units.js";

export interface DurationForm {
  /** The unit a bare number most likely meant, suggested first. */
  unit: "s" | "m";
  /** Shown when the value is not a duration at all, e.g. "720m or 12h". */
  examples: string;
}

/** Whole seconds, or undefined after reporting why the value is not a duration in `range`. */
export function decodeDuration(ctx: DecodeContext, attr: Attribute, range: Range, form: DurationForm): number | undefined {
  const { unit } = form;
  const key = attr.name.name;
  const value = attr.value;
  if (value.kind === "number") {
    const others = unit === "m" ? `${value.text}s, ${value.text}h` : `${value.text}m, ${value.text}h`;
    ctx.bag.report("badDuration", value.span, `${key} needs a unit`, `write ${value.text}${unit} for ${unit === "m" ? "minutes" : "seconds"}, or ${others}`);
    return undefined;
  }
  if (value.kind !== "quantity") return ctx.values.wrongType(value, key, `a duration such as ${form.examples}`);
  const duration = parseDuration(value.text);
  if (!duration.ok) {
    ctx.bag.report("badDuration", value.span, duration.message, duration.hint);
    return undefined;
  }
  if (inRange(duration.value, range)) return duration.value;
  ctx.bag.report("outOfRange", value.span, `${key} must be between ${formatDuration(range.min)} and ${formatDuration(range.max)}; got ${value.text}`, range.hint);
  return undefined;
}
