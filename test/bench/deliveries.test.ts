// --delivery: at-least-once alone by default, both modes on request, and a clear refusal of others.
import { describe, expect, it } from "vitest";
import { chooseDeliveries } from "../../bench/systems/ours.js";

describe("chooseDeliveries", () => {
  it("runs at-least-once unless told otherwise, and each named mode once", () => {
    expect(chooseDeliveries(undefined)).toEqual(["at-least-once"]);
    expect(chooseDeliveries("at-least-once, exactly-once,exactly-once")).toEqual(["at-least-once", "exactly-once"]);
    expect(chooseDeliveries("exactly-once")).toEqual(["exactly-once"]);
  });

  it("names the modes it knows when given another", () => {
    expect(chooseDeliveries("at-most-once")).toBe('unknown delivery "at-most-once"; choose from at-least-once, exactly-once');
    expect(chooseDeliveries(",")).toMatch(/needs at least one/);
  });
});
