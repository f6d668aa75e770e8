// What dts run makes of a precheck before the start: a server that cannot be reached is a
// retriable error the run waits out; any other failure refuses the start.
import { describe, expect, it } from "vitest";
import { fail, pass, skipped, unreachable, type CheckResult } from "../../src/precheck/check-result.js";
import { onlyUnreachable, startCheck, type PipelinePrecheck, type PrecheckReport } from "../../src/precheck/index.js";
import { explainConnectError } from "../../src/precheck/source-connection.js";
import { unreachableError } from "../../src/precheck/start-check.js";

function pipelineReport(results: CheckResult[], name = "shop"): PipelinePrecheck {
  return { pipeline: name, results, skipped: [], ok: results.every((r) => r.status !== "fail") };
}

function report(...pipelines: PipelinePrecheck[]): PrecheckReport {
  return { pipelines, ok: pipelines.every((p) => p.ok) };
}

const sourceDown = unreachable("source-connection", "nothing listens on db:3306 (connection refused)", "check that the server is running");
const brokersDown = unreachable("kafka-brokers", "cannot reach k1:9092 (Connection timeout)", "check the brokers");

describe("classifying a failed connection to the source", () => {
  it.each([
    ["ECONNREFUSED", "nothing listens on db:3306 (connection refused)"],
    ["ETIMEDOUT", "connecting to db:3306 timed out"],
    ["ENOTFOUND", "the host of db:3306 cannot be resolved"],
    ["EAI_AGAIN", "the host of db:3306 cannot be resolved"],
    ["EHOSTUNREACH", "there is no route to db:3306"],
  ])("%s: unreachable", (code, reason) => {
    expect(explainConnectError({ code, message: `connect ${code}` }, "db:3306", "dts")).toMatchObject({ unreachable: true, reason });
  });

  it("a server that answered is not unreachable: wrong password, host not allowed, TLS, too many connections", () => {
    for (const error of [{ errno: 1045, message: "Access denied" }, { errno: 1130, message: "Host not allowed" }, { code: "HANDSHAKE_NO_SSL_SUPPORT", message: "Server does not support secure connection" }, { errno: 1040, message: "Too many connections" }]) {
      expect(explainConnectError(error, "db:3306", "dts").unreachable).toBe(false);
    }
  });
});

describe("a pipeline's verdict before the start", () => {
  it("is only unreachable when every failure is a server that cannot be reached", () => {
    expect(onlyUnreachable(pipelineReport([sourceDown, skipped("binlog-format", "no connection to the source"), pass("kafka-brokers", "ok")]))).toBe(true);
    expect(onlyUnreachable(pipelineReport([sourceDown, brokersDown]))).toBe(true);
    expect(onlyUnreachable(pipelineReport([pass("source-connection", "ok"), brokersDown, fail("topics", "missing")]))).toBe(false);
    expect(onlyUnreachable(pipelineReport([pass("source-connection", "ok")]))).toBe(false);
  });

  it("keeps the JSON of other results as it was and marks unreachable failures", () => {
    expect(JSON.parse(JSON.stringify(sourceDown))).toEqual({ id: "source-connection", code: "DTS4001", title: expect.any(String), status: "fail", reason: sourceDown.reason, fix: sourceDown.fix, unreachable: true });
    expect(fail("topics", "missing")).not.toHaveProperty("unreachable");
  });

  it("turns unreachable servers into a retriable error of the source or of Kafka, with every reason", () => {
    const both = unreachableError(pipelineReport([sourceDown, brokersDown]));
    expect(both).toMatchObject({ code: "source-connect", retriable: true, message: "cannot start yet: nothing listens on db:3306 (connection refused); cannot reach k1:9092 (Connection timeout)" });
    expect(unreachableError(pipelineReport([pass("source-connection", "ok"), brokersDown]))).toMatchObject({ code: "sink-connect", retriable: true, hint: "check the brokers" });
  });
});

describe("the start check", () => {
  it("answers the first call from the report taken before the run, then takes the precheck again", async () => {
    const taken: string[] = [];
    const answers = [report(pipelineReport([sourceDown])), report(pipelineReport([pass("source-connection", "ok")]))];
    const check = startCheck(report(pipelineReport([sourceDown])), async (name) => {
      taken.push(name);
      return answers.shift() as PrecheckReport;
    }, () => undefined);
    await expect(check("shop")).rejects.toMatchObject({ retriable: true, code: "source-connect" });
    expect(taken).toEqual([]);
    await expect(check("shop")).rejects.toMatchObject({ retriable: true });
    await expect(check("shop")).resolves.toBeUndefined();
    expect(taken).toEqual(["shop", "shop"]);
  });

  it("refuses for good, printing the report, when the server answers but a setting fails", async () => {
    const printed: PrecheckReport[] = [];
    const refusal = report(pipelineReport([pass("source-connection", "ok"), fail("binlog-format", "binlog_format is STATEMENT")]));
    const check = startCheck(report(pipelineReport([sourceDown])), async () => refusal, (r) => printed.push(r));
    await expect(check("shop")).rejects.toMatchObject({ retriable: true });
    await expect(check("shop")).rejects.toMatchObject({ retriable: false, code: "config", message: "the precheck failed, so the pipeline was not started" });
    expect(printed).toEqual([refusal]);
  });

  it("lets a pipeline that passed the first precheck start without checking again", async () => {
    const check = startCheck(report(pipelineReport([pass("source-connection", "ok")], "a"), pipelineReport([sourceDown], "b")), async () => {
      throw new Error("not called");
    }, () => undefined);
    await expect(check("a")).resolves.toBeUndefined();
    await expect(check("b")).rejects.toMatchObject({ retriable: true });
  });
});
