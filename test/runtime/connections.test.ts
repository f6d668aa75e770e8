// resolveConnections: every secret read in one place, each problem reported where the spec wrote it.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";
import type { ExecutionPlan } from "../../src/generated/plan.js";
import { resolveConnections, resolveKafkaConnection } from "../../src/runtime/connections.js";
import { RuntimeError } from "../../src/runtime/errors.js";

const spec = (password: string, auth = "") => `pipeline "orders" {
  source mysql {
    host     = "db"
    port     = env("DB_PORT")
    user     = "dts"
    password = ${password}
  }
  destination kafka {
    brokers = ["k:9092"]
    topic   = "t"
    ${auth}
  }
  database "d" {}
}
`;

function compiled(text: string): { plan: ExecutionPlan; literalSecrets: Record<string, string> } {
  const result = compile([{ file: "spec.dts", text }]);
  if (!result.plan) throw new Error(JSON.stringify(result.diagnostics));
  return { plan: result.plan, literalSecrets: result.literalSecrets };
}

/** The plan as someone might write it by hand: the same references, without origins. */
function withoutOrigins(plan: ExecutionPlan): ExecutionPlan {
  return JSON.parse(JSON.stringify(plan, (key, value: unknown) => (key === "origin" ? undefined : value))) as ExecutionPlan;
}

function failure(run: () => unknown): RuntimeError {
  try {
    run();
  } catch (error) {
    if (error instanceof RuntimeError) return error;
    throw error;
  }
  throw new Error("expected a RuntimeError");
}

const env = { DB_PORT: "3307" };

describe("resolveConnections", () => {
  it("hands the clients ready settings: env, file and literal secrets read", () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-conn-"));
    const file = join(dir, "kafka-pw");
    writeFileSync(file, "kafka-secret\n");
    const { plan, literalSecrets } = compiled(spec('env("DB_PW")', `auth { mechanism = plain\n username = "svc"\n password = file("${file}") }`));
    const resolved = resolveConnections(plan, 0, literalSecrets, { ...env, DB_PW: "db-secret" });
    expect(resolved.source.address).toBe("db:3307");
    expect(resolved.source.options).toMatchObject({ host: "db", port: 3307, user: "dts", password: "db-secret" });
    expect(resolved.kafka.sasl).toEqual({ mechanism: "plain", username: "svc", password: "kafka-secret" });
    expect(resolved.kafka.brokers).toEqual(["k:9092"]);
    expect(resolved.schemaRegistry).toBeNull();
  });

  it("keeps a schema registry's password out of the plan and adds it to the URL's user at run time", () => {
    const fromEnv = compiled(spec('env("DB_PW")', 'schema_registry = "https://reg@registry:8081"\n    schema_registry_password = env("REG_PW")'));
    expect(fromEnv.plan.pipelines[0]?.destination.schemaRegistry).toMatchObject({ url: "https://reg@registry:8081", password: { env: "REG_PW" } });
    expect(resolveConnections(fromEnv.plan, 0, fromEnv.literalSecrets, { ...env, DB_PW: "x", REG_PW: "p@ss:/w" }).schemaRegistry).toEqual({ url: "https://reg:p%40ss%3A%2Fw@registry:8081/" });
    // Written in the URL: a literal secret, warned about, and the plan holds the URL without it.
    const literal = compile([{ file: "spec.dts", text: spec('env("DB_PW")', 'schema_registry = "http://reg:s3cret@registry:8081"') }]);
    expect(literal.diagnostics.map((d) => d.code)).toContain("DTS2011");
    expect(JSON.stringify(literal.plan)).not.toContain("s3cret");
    expect(literal.plan?.pipelines[0]?.destination.schemaRegistry?.url).toBe("http://reg@registry:8081");
    expect(resolveConnections(literal.plan as ExecutionPlan, 0, literal.literalSecrets, { ...env, DB_PW: "x" }).schemaRegistry?.url).toBe("http://reg:s3cret@registry:8081/");
    // A password without a user to log in as is an error at the URL.
    const userless = compile([{ file: "spec.dts", text: spec('env("DB_PW")', 'schema_registry = "https://registry:8081"\n    schema_registry_password = env("REG_PW")') }]);
    expect(userless.plan).toBeNull();
    expect(userless.diagnostics.map((d) => d.message)).toContain("schema_registry_password is set, but the URL names no user to log in as");
  });

  it("uses the value compile() kept out of the plan for a literal password", () => {
    const { plan, literalSecrets } = compiled(spec('"lit-secret"'));
    expect(resolveConnections(plan, 0, literalSecrets, env).source.options.password).toBe("lit-secret");
  });

  it("names the spec's file:line:col for an unset environment variable, with a hint", () => {
    const { plan, literalSecrets } = compiled(spec('env("MYSQL_PASSWORD")'));
    const error = failure(() => resolveConnections(plan, 0, literalSecrets, env));
    expect(error.code).toBe("secret");
    expect(error.message).toBe("spec.dts:6:16: source password reads environment variable MYSQL_PASSWORD, which is not set");
    expect(error.hint).toMatch(/export MYSQL_PASSWORD/);
    expect(error.hint).toMatch(/spec\.dts:6:16/);
    expect(error.message).not.toMatch(/\/pipelines|\/source/);
  });

  it("names the spec's place for an env-backed port that is unset", () => {
    const { plan, literalSecrets } = compiled(spec('env("DB_PW")'));
    const error = failure(() => resolveConnections(plan, 0, literalSecrets, { DB_PW: "x" }));
    expect(error.message).toBe("spec.dts:4:16: source port reads environment variable DB_PORT, which is not set");
  });

  it("names the spec's place for a file that cannot be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-conn-"));
    const { plan, literalSecrets } = compiled(spec(`file("${join(dir, "missing")}")`));
    const error = failure(() => resolveConnections(plan, 0, literalSecrets, env));
    expect(error.code).toBe("secret");
    expect(error.message).toMatch(/^spec\.dts:6:16: source password reads file .*missing, which cannot be read: ENOENT$/);
  });

  it("reports an unreadable file without showing what other secrets hold", () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-conn-"));
    const file = join(dir, "pw");
    writeFileSync(file, "never-shown");
    chmodSync(file, 0o000);
    const { plan, literalSecrets } = compiled(spec('"also-never-shown"', `auth { mechanism = plain\n username = "svc"\n password = file("${file}") }`));
    let error: RuntimeError | null = null;
    try {
      resolveConnections(plan, 0, literalSecrets, env);
    } catch (caught) {
      error = caught as RuntimeError;
    }
    // root reads any file; then there is no problem to report and nothing to check.
    if (error === null) return;
    expect(error.message).toMatch(/^spec\.dts:\d+:\d+: Kafka password reads file .*, which cannot be read: EACCES$/);
    expect(`${error.message} ${error.hint}`).not.toMatch(/never-shown/);
  });

  it("falls back to the setting's name, never a JSON pointer, when the plan has no origins", () => {
    const { plan } = compiled(spec('env("MYSQL_PASSWORD")'));
    const error = failure(() => resolveConnections(withoutOrigins(plan), 0, {}, env));
    expect(error.message).toBe("source password of pipeline orders reads environment variable MYSQL_PASSWORD, which is not set");
    expect(`${error.message} ${error.hint}`).not.toMatch(/\/pipelines|\/source/);
  });

  it("explains a literal a compiled plan file cannot carry", () => {
    const { plan } = compiled(spec('"lit-secret"'));
    const error = failure(() => resolveConnections(plan, 0, {}, env));
    expect(error.message).toBe("spec.dts:6:16: source password was written as a literal in the spec, but a compiled plan file does not carry its value");
    expect(error.hint).toMatch(/dts run <spec>/);
  });

  it("never puts a secret's value in a message", () => {
    const { plan, literalSecrets } = compiled(spec('"lit-secret"', 'auth { mechanism = plain\n username = env("KAFKA_USER")\n password = env("KAFKA_PW") }'));
    const error = failure(() => resolveConnections(plan, 0, literalSecrets, { ...env, KAFKA_PW: "env-secret" }));
    expect(error.message).toMatch(/Kafka username reads environment variable KAFKA_USER/);
    expect(`${error.message} ${error.hint}`).not.toMatch(/lit-secret|env-secret|3307/);
  });

  it("says a port or host resolved to the password instead of echoing it, and shows only a port-like text", () => {
    const { plan, literalSecrets } = compiled(spec('env("DB_PORT")'));
    const same = failure(() => resolveConnections(plan, 0, literalSecrets, { DB_PORT: "s3cr3t-pw" }));
    expect(same.message).toBe("spec.dts:4:16: source port resolved to the source password");
    expect(same.location).toMatchObject({ file: "spec.dts", line: 4 });
    const other = compiled(spec('"pw"'));
    expect(failure(() => resolveConnections(other.plan, 0, other.literalSecrets, { DB_PORT: "not a port at all" })).message).toBe("spec.dts:4:16: source port resolved to a value, which is not a port number");
    expect(failure(() => resolveConnections(other.plan, 0, other.literalSecrets, { DB_PORT: "99999" })).message).toBe('spec.dts:4:16: source port resolved to "99999", which is not a port number');
  });
});

describe("resolveKafkaConnection", () => {
  it("reads only the Kafka settings, so a tool that never connects to the source needs none of its secrets", () => {
    const { plan, literalSecrets } = compiled(spec('env("MYSQL_PASSWORD")', 'auth { mechanism = plain\n username = "svc"\n password = env("KAFKA_PW") }'));
    const kafka = resolveKafkaConnection(plan, 0, literalSecrets, { KAFKA_PW: "k" });
    expect(kafka.sasl).toEqual({ mechanism: "plain", username: "svc", password: "k" });
    expect(kafka.brokers).toEqual(["k:9092"]);
  });
});
