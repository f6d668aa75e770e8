// The server requirements as both `dts precheck` and `dts run`'s start-up check apply them:
// each case feeds the same recorded server facts to both paths and asserts they agree, so a
// precheck that passes means the run can start. MySQL 8.0/8.4 cannot run here; their facts
// are recorded from real servers.
import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/generated/plan.js";
import { checkServerRequirements, requiredVariableNames, serverRequirements, type RequirementId } from "../../src/plan/server-requirements.js";
import { checkIds } from "../../src/precheck/check-result.js";
import { checkServerSettings } from "../../src/precheck/server-settings.js";
import { variableNames } from "../../src/precheck/source-facts.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { checkStartRequirements } from "../../src/runtime/source/server-checks.js";
import { facts, mysql8, pipeline } from "../precheck/fixtures.js";
import type { SourceFacts } from "../../src/precheck/source-facts.js";

/** SHOW GLOBAL VARIABLES of a MySQL 8.4.3 server as installed (binlog status via SHOW BINARY LOG STATUS). */
function mysql84(variables: Record<string, string> = {}): SourceFacts {
  return { ...mysql8({ version: "8.4.3", binlog_row_metadata: "MINIMAL", binlog_transaction_compression: "OFF", ...variables }), version: "8.4.3" };
}

/** What the run's start-up check says about these facts: null when it lets the run start. */
function startCheck(f: SourceFacts, p: Pipeline): string | null {
  try {
    checkStartRequirements(f, p);
    return null;
  } catch (error) {
    if (!(error instanceof RuntimeError)) throw error;
    expect(error.code).toBe("source-settings");
    return error.message;
  }
}

const gtidStart = pipeline({ source: { ...pipeline().source, startFrom: { kind: "gtid", gtidSet: "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5" } } });

const cases: { name: string; facts: SourceFacts; pipeline?: Pipeline; id: RequirementId; status: "pass" | "warn" | "fail"; reason: RegExp }[] = [
  { name: "MariaDB 10.11 as the stack runs it", facts: facts(), id: "binlog-format", status: "pass", reason: /ROW/ },
  { name: "MySQL 8.0 defaults", facts: mysql8(), id: "binlog-transaction-compression", status: "pass", reason: /not compress/ },
  { name: "MySQL 8.4 defaults", facts: mysql84(), id: "binlog-transaction-compression", status: "pass", reason: /OFF/ },
  { name: "MySQL 8.4 is supported", facts: mysql84(), id: "source-version", status: "pass", reason: /MySQL 8\.4\.3 is supported/ },
  { name: "MySQL 8.4 with MINIMAL row metadata", facts: mysql84(), id: "binlog-row-metadata", status: "warn", reason: /binlog_row_metadata is MINIMAL/ },
  { name: "binary logging off", facts: facts({}, { log_bin: "OFF" }), id: "binlog-enabled", status: "fail", reason: /log_bin = OFF/ },
  { name: "log_bin as SELECT @@GLOBAL returns it", facts: facts({}, { log_bin: "1" }), id: "binlog-enabled", status: "pass", reason: /ON/ },
  { name: "binlog_format STATEMENT", facts: facts({}, { binlog_format: "STATEMENT" }), id: "binlog-format", status: "fail", reason: /STATEMENT/ },
  { name: "binlog_format MIXED", facts: mysql8({ binlog_format: "MIXED" }), id: "binlog-format", status: "fail", reason: /MIXED/ },
  { name: "binlog_row_image MINIMAL", facts: facts({}, { binlog_row_image: "MINIMAL" }), id: "binlog-row-image", status: "fail", reason: /MINIMAL/ },
  { name: "binlog_row_image NOBLOB", facts: mysql8({ binlog_row_image: "NOBLOB" }), id: "binlog-row-image", status: "fail", reason: /NOBLOB/ },
  { name: "no binlog_row_image on an old server", facts: facts({}, { binlog_row_image: undefined as unknown as string }), id: "binlog-row-image", status: "pass", reason: /full row images/ },
  { name: "binlog_row_metadata MINIMAL on MariaDB", facts: facts({}, { binlog_row_metadata: "MINIMAL" }), id: "binlog-row-metadata", status: "warn", reason: /MINIMAL/ },
  { name: "binlog_row_value_options PARTIAL_JSON on MySQL 8.0", facts: mysql8({ binlog_row_value_options: "PARTIAL_JSON" }), id: "binlog-row-metadata", status: "fail", reason: /PARTIAL_JSON/ },
  { name: "binlog_row_value_options PARTIAL_JSON on MySQL 8.4", facts: mysql84({ binlog_row_value_options: "PARTIAL_JSON", binlog_row_metadata: "FULL" }), id: "binlog-row-metadata", status: "fail", reason: /PARTIAL_JSON.*after images lack the new JSON value/ },
  { name: "binlog_row_value_options PARTIAL_JSON on MySQL 9.1", facts: { ...mysql8({ version: "9.1.0", binlog_row_value_options: "PARTIAL_JSON" }), version: "9.1.0" }, id: "binlog-row-metadata", status: "fail", reason: /PARTIAL_JSON/ },
  { name: "binlog_row_value_options empty on MySQL 8.4", facts: mysql84({ binlog_row_value_options: "", binlog_row_metadata: "FULL" }), id: "binlog-row-metadata", status: "pass", reason: /FULL/ },
  { name: "MariaDB has no binlog_row_value_options", facts: facts(), id: "binlog-row-metadata", status: "pass", reason: /FULL/ },
  { name: "binlog_transaction_compression ON on MySQL 8.0", facts: mysql8({ binlog_transaction_compression: "ON" }), id: "binlog-transaction-compression", status: "fail", reason: /compressed/ },
  { name: "binlog_transaction_compression ON on MySQL 8.4", facts: mysql84({ binlog_transaction_compression: "ON" }), id: "binlog-transaction-compression", status: "fail", reason: /compressed/ },
  { name: "gtid_mode OFF on MySQL, starting from latest", facts: mysql8({ gtid_mode: "OFF" }), id: "gtid-mode", status: "warn", reason: /gtid_mode is OFF/ },
  { name: "gtid_mode OFF on MySQL, starting from a GTID set", facts: mysql8({ gtid_mode: "OFF" }), pipeline: gtidStart, id: "gtid-mode", status: "fail", reason: /starts from a GTID set/ },
  { name: "gtid_strict_mode OFF on MariaDB", facts: facts({}, { gtid_strict_mode: "OFF" }), id: "gtid-mode", status: "warn", reason: /gtid_strict_mode is OFF/ },
  { name: "MySQL 5.5 is too old", facts: facts({ version: "5.5.62", isMariaDb: false }), id: "source-version", status: "fail", reason: /too old/ },
  { name: "MySQL 9 is untested", facts: { ...mysql8({ version: "9.1.0" }), version: "9.1.0" }, id: "source-version", status: "warn", reason: /newer/ },
];

describe("server requirements: the precheck and the run's start-up check agree", () => {
  it.each(cases)("$name", ({ facts: f, pipeline: p = pipeline(), id, status, reason }) => {
    const settings = { ...f, variables: Object.fromEntries(Object.entries(f.variables).filter(([, v]) => v !== undefined)) };
    const precheck = checkServerSettings(settings, p);
    const item = precheck.find((r) => r.id === id);
    expect(item).toMatchObject({ status, reason: expect.stringMatching(reason) });
    expect(item?.fix === null).toBe(status === "pass");

    const refusal = startCheck(settings, p);
    const rule = serverRequirements.find((r) => r.id === id);
    if (status === "fail" && rule?.atStart) expect(refusal).toContain(item?.reason);
    // The invariant: whatever the precheck passes, the run starts with.
    if (precheck.every((r) => r.status !== "fail")) expect(refusal).toBeNull();
    // And the run refuses only on what the precheck fails.
    for (const r of precheck) if (refusal?.includes(r.reason)) expect(r.status).toBe("fail");
  });

  it("reports every rule in the precheck under its own check id", () => {
    const ids = checkServerRequirements(facts(), pipeline()).map((r) => r.id);
    expect(ids).toEqual(serverRequirements.map((r) => r.id));
    for (const id of ids) expect(checkIds).toContain(id);
  });

  it("has the precheck read every variable the rules look at", () => {
    for (const name of requiredVariableNames) expect(variableNames).toContain(name);
  });

  it("names every blocker and its fix in one start-up error", () => {
    const message = startCheck(mysql8({ binlog_format: "STATEMENT", binlog_transaction_compression: "ON" }), pipeline());
    expect(message).toMatch(/binlog_format is STATEMENT.*binlog_transaction_compression is ON/);
  });
});
