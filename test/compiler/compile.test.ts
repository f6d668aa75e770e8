// The compile() contract the runtime and CLI rely on.
import { describe, expect, it } from "vitest";
import { compile, validatePlan, type Diagnostic } from "../../src/compiler/index.js";

const base = (password: string, extra = "") => `pipeline "p" {
  ${extra}
  source mysql {
    host     = "db"
    user     = "u"
    password = ${password}
  }
  destination kafka {
    brokers = ["k:9092"]
    topic   = "t"
  }
  database "d" {}
}
`;

function expectError(diagnostics: Diagnostic[], code: string, message: RegExp): void {
  expect(diagnostics.some((d) => d.code === code && message.test(d.message)), JSON.stringify(diagnostics, null, 1)).toBe(true);
}

describe("compile()", () => {
  it("fills in every default explicitly", () => {
    const { plan, diagnostics } = compile([{ file: "a.dts", text: base('env("PW")') }]);
    expect(diagnostics).toEqual([]);
    const p = plan!.pipelines[0]!;
    expect(p).toMatchObject({
      mode: "sync",
      stopWhenCaughtUp: false,
      format: "dts-avro",
      ddl: "ignore",
      retryWindowSeconds: 43200,
      partition: { policy: "partition-zero" },
      checkpoint: { directory: ".dts-state", topic: null },
      initialSync: { schema: true, data: true },
    });
    expect(p.source).toMatchObject({ port: 3306, tls: { mode: "off" }, timezone: "SYSTEM", startFrom: { kind: "after-initial-sync" } });
    expect(p.destination).toMatchObject({ clientId: "dts-p", ddlTopic: "t", compression: "none", auth: { mechanism: "none" }, createTopics: { enabled: false, partitions: 1, replicationFactor: 1 } });
  });

  it("keeps literal passwords out of the plan and reports them by JSON pointer", () => {
    const result = compile([{ file: "a.dts", text: base('"s3cret"') }]);
    expect(result.plan!.pipelines[0]!.source.password).toEqual({ literal: "redacted", origin: { file: "a.dts", line: 6, column: 16 } });
    expect(JSON.stringify(result.plan)).not.toContain("s3cret");
    expect(JSON.stringify(result.diagnostics)).not.toContain("s3cret");
    expect(result.literalSecrets).toEqual({ "/pipelines/0/source/password": "s3cret" });
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([["DTS2011", "warning"]]);
  });

  it("makes a literal password an error under strict, with no plan", () => {
    const result = compile([{ file: "a.dts", text: base('"s3cret"') }], { strict: true });
    expect(result.plan).toBeNull();
    expect(result.literalSecrets).toEqual({});
    expect(result.diagnostics[0]).toMatchObject({ code: "DTS2011", severity: "error" });
  });

  it("numbers pointers by the pipeline's place in the plan across files", () => {
    const second = base('"two"').replace('pipeline "p"', 'pipeline "q"').replace('"t"', '"t2"').replace('"db"', '"db2"');
    const result = compile([
      { file: "a.dts", text: base('env("A")') },
      { file: "b.dts", text: second },
    ]);
    expect(result.literalSecrets).toEqual({ "/pipelines/1/source/password": "two" });
  });

  it("checks pipelines across files against each other", () => {
    const result = compile([
      { file: "a.dts", text: base('env("A")') },
      { file: "b.dts", text: base('env("B")') },
    ]);
    expect(result.plan).toBeNull();
    expectError(result.diagnostics, "DTS2007", /pipeline "p" is already declared at a.dts:1/);
    expect(result.diagnostics.find((d) => d.code === "DTS2007")?.span.file).toBe("b.dts");
  });

  it("reports syntax errors of several files at once", () => {
    const result = compile([
      { file: "a.dts", text: "pipeline \"a\" { mode = }" },
      { file: "b.dts", text: "pipeline \"b\" { x = [ }" },
    ]);
    expect(result.diagnostics.map((d) => d.span.file)).toEqual(["a.dts", "b.dts"]);
  });

  it("refuses a pipeline name too long to name its state folder, and takes one of 200 characters", () => {
    const named = (name: string) => compile([{ file: "long.dts", text: base('env("P")').replace('pipeline "p"', `pipeline "${name}"`) }]);
    const long = named("p".repeat(201));
    expect(long.plan).toBeNull();
    expectError(long.diagnostics, "DTS2026", /at most 200 characters \(it names the pipeline's state folder\); this one has 201/);
    expect(named("p".repeat(200)).plan).not.toBeNull();
  });

  it("warns when there is nothing to compile", () => {
    const result = compile([{ file: "empty.dts", text: "# nothing yet\n" }]);
    expect(result.diagnostics).toMatchObject([{ code: "DTS2031", severity: "warning" }]);
    expect(result.plan).toEqual({ $schema: expect.any(String), planVersion: 1, pipelines: [] });
  });

  it.each(["", "{", "}", "\u0000", "pipeline", 'pipeline "x" {'.repeat(50), "a = ".repeat(100), "filter = ((((", "\"\\", "x { y = env(env(env())) }"])("never throws on %j", (text) => {
    const result = compile([{ file: "weird.dts", text }]);
    expect(result.diagnostics.every((d) => d.code !== "DTS3999")).toBe(true);
  });

  it("uses the runtime's env references for host and port", () => {
    const text = base('env("PW")').replace('host     = "db"', 'host = env("DB_HOST")\n    port = env("DB_PORT")');
    const { plan } = compile([{ file: "a.dts", text }]);
    expect(plan!.pipelines[0]!.source).toMatchObject({ host: { env: "DB_HOST" }, port: { env: "DB_PORT" } });
  });
});

describe("validatePlan()", () => {
  it("accepts a compiled plan and rejects a damaged one with pointers", () => {
    const { plan } = compile([{ file: "a.dts", text: base('env("PW")') }]);
    expect(validatePlan(plan).ok).toBe(true);
    const damaged = JSON.parse(JSON.stringify(plan));
    damaged.pipelines[0].source.port = 0;
    delete damaged.pipelines[0].destination.topic;
    const result = validatePlan(damaged);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.pointer)).toEqual(expect.arrayContaining(["/pipelines/0/source/port", "/pipelines/0/destination"]));
    }
  });

  it("rejects things that are not plans", () => {
    expect(validatePlan(null).ok).toBe(false);
    expect(validatePlan({ planVersion: 2, pipelines: [] }).ok).toBe(false);
  });
});

describe("compile() for a group of workers", () => {
  it("requires a checkpoint topic of every pipeline (DTS2036), at the pipeline's name", () => {
    const { plan, diagnostics } = compile([{ file: "a.dts", text: base('env("PW")') }], { group: true });
    expect(plan).toBeNull();
    expectError(diagnostics, "DTS2036", /pipeline "p" has no checkpoint topic/);
    expect(diagnostics[0]?.span).toMatchObject({ line: 1, column: 10 });
  });

  it("accepts pipelines that keep checkpoints in Kafka", () => {
    const { plan, diagnostics } = compile([{ file: "a.dts", text: base('env("PW")', 'checkpoint {\n    topic = "dts.checkpoints"\n  }') }], { group: true });
    expect(diagnostics).toEqual([]);
    expect(plan?.pipelines[0]?.checkpoint.topic).toBe("dts.checkpoints");
  });
});
