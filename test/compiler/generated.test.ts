// The committed generated files must match what `npm run gen` produces now.
import { describe, expect, it } from "vitest";
import { staleFiles } from "../../scripts/gen.js";

describe("generated files", () => {
  it("are up to date (run npm run gen)", async () => {
    expect(await staleFiles()).toEqual([]);
  }, 20_000);
});
