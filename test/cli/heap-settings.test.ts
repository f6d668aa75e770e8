// The heap growth setting every `dts` process applies, unless node was started with its own.
import { describe, expect, it } from "vitest";
import { applyHeapSettings } from "../../src/cli/heap-settings.js";

function applied(nodeFlags: string[]): string[] {
  const set: string[] = [];
  applyHeapSettings(nodeFlags, (flags) => set.push(flags));
  return set;
}

describe("heap settings", () => {
  it("let the old generation grow by half between full collections", () => {
    expect(applied([])).toEqual(["--heap-growing-percent=50"]);
    expect(applied(["--max-semi-space-size=64", "--enable-source-maps"])).toEqual(["--heap-growing-percent=50"]);
  });

  it("keep a percentage given to node, in either spelling", () => {
    expect(applied(["--heap-growing-percent=100"])).toEqual([]);
    expect(applied(["--heap_growing_percent=80"])).toEqual([]);
  });
});
