// Which failures a pipeline waits out (retry window) and which stop it at once.
import { describe, expect, it } from "vitest";
import { asRuntimeError } from "../../src/runtime/errors.js";

const serverError = (errno: number, message: string) => Object.assign(new Error(message), { errno, code: "ER_X", sqlState: "70100" });

describe("retriable failures", () => {
  it("retries a query the server interrupted or a connection it killed, as a lost connection", () => {
    expect(asRuntimeError(serverError(1317, "Query execution was interrupted")).retriable).toBe(true);
    expect(asRuntimeError(serverError(1927, "Connection was killed")).retriable).toBe(true);
    expect(asRuntimeError(serverError(1053, "Server shutdown in progress")).retriable).toBe(true);
    expect(asRuntimeError(serverError(1213, "Deadlock found when trying to get lock")).retriable).toBe(true);
    expect(asRuntimeError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })).retriable).toBe(true);
    // kafkajs' own, while it connects a broker again after an outage.
    expect(asRuntimeError(new Error("Broker not connected")).retriable).toBe(true);
  });

  it("stops on what asking again cannot change", () => {
    expect(asRuntimeError(serverError(1142, "SELECT command denied")).retriable).toBe(false);
    expect(asRuntimeError(new Error("a bug")).retriable).toBe(false);
  });
});
