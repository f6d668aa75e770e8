import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/runtime/errors.js";
import { snapshotFailure } from "../../src/runtime/snapshot/snapshot-error.js";

describe("snapshotFailure", () => {
  it("retries lost connections and transient server errors", () => {
    expect(snapshotFailure(Object.assign(new Error("Connection lost"), { code: "PROTOCOL_CONNECTION_LOST" })).retriable).toBe(true);
    expect(snapshotFailure(Object.assign(new Error("Lock wait timeout exceeded"), { errno: 1205 })).retriable).toBe(true);
  });

  it("fails at once with the fix when the user may not read the table", () => {
    const failure = snapshotFailure(Object.assign(new Error("SELECT command denied to user 'dts'@'localhost' for table `shop`.`orders`"), { errno: 1142 }));
    expect(failure.retriable).toBe(false);
    expect(failure.message).toContain("shop`.`orders");
    expect(failure.hint).toMatch(/grant/i);
  });

  it("fails at once on a failure of our own code rather than retrying it for the whole window", () => {
    expect(snapshotFailure(new TypeError("Cannot read properties of undefined")).retriable).toBe(false);
  });

  it("keeps a RuntimeError as it is", () => {
    const original = new RuntimeError("source-settings", "x", { retriable: false });
    expect(snapshotFailure(original)).toBe(original);
  });
});
