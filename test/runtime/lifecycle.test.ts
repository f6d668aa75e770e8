import { describe, expect, it } from "vitest";
import { allowedTransitions, IllegalTransitionError, Lifecycle, type Phase } from "../../src/runtime/lifecycle.js";

describe("Lifecycle", () => {
  it("walks the normal path and reports each change", () => {
    const lifecycle = new Lifecycle();
    const seen: string[] = [];
    lifecycle.onChange((to, from) => seen.push(`${from}>${to}`));
    for (const to of ["streaming", "retrying", "starting", "streaming", "stopping", "stopped"] as Phase[]) lifecycle.transition(to);
    expect(seen).toEqual(["starting>streaming", "streaming>retrying", "retrying>starting", "starting>streaming", "streaming>stopping", "stopping>stopped"]);
    expect(lifecycle.finished).toBe(true);
  });

  it("refuses transitions missing from the table", () => {
    const lifecycle = new Lifecycle();
    expect(() => lifecycle.transition("stopped")).toThrow(IllegalTransitionError);
    lifecycle.transition("failed");
    for (const to of Object.keys(allowedTransitions) as Phase[]) expect(lifecycle.canTransition(to)).toBe(false);
  });
});
