// The heap growth every `dts` process sets, unless node was started with its own; wider while
// an initial sync copies rows (src/runtime/heap-growth.ts).
import { describe, expect, it } from "vitest";
import { applyHeapSettings } from "../../src/cli/heap-settings.js";
import { bulkCopyStarted } from "../../src/runtime/heap-growth.js";

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

  it("let it grow by twice as much while an initial sync copies rows, until the last one ends", () => {
    const set: string[] = [];
    applyHeapSettings([], (flags) => set.push(flags));
    const first = bulkCopyStarted();
    const second = bulkCopyStarted();
    first();
    first();
    expect(set).toEqual(["--heap-growing-percent=50", "--heap-growing-percent=200"]);
    second();
    expect(set.at(-1)).toBe("--heap-growing-percent=50");
    expect(set).toHaveLength(3);
  });

  it("leave a percentage given to node alone during a copy too", () => {
    const set: string[] = [];
    applyHeapSettings([], (flags) => set.push(flags));
    applyHeapSettings(["--heap-growing-percent=80"], (flags) => set.push(flags));
    bulkCopyStarted()();
    expect(set).toEqual(["--heap-growing-percent=50"]);
  });
});
