// `dts run` on a spec whose password variable is unset: it stops before anything connects, and
// the message points at the spec's file:line:col, not at a JSON pointer in the plan.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dts, streamingSpec } from "./cli-process.js";

/** A TCP listener standing in for MariaDB or Kafka, counting who connects. */
async function listener(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { server, port: address.port, connections: () => count };
}

describe("dts run with an unset secret", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "dts-secret-"));
  const spec = join(stateDir, "unset.dts");
  let mysql: Awaited<ReturnType<typeof listener>>;
  let kafka: Awaited<ReturnType<typeof listener>>;
  /** Where the spec writes env("MYSQL_PASSWORD"), 1-based. */
  let written: string;

  beforeAll(async () => {
    [mysql, kafka] = await Promise.all([listener(), listener()]);
    const text = streamingSpec({ name: "unset", format: "canal-json", database: "shop", table: "orders", topic: "unset-secret", stateDir }).replace(/brokers = \["[^"]*"\]/, `brokers = ["127.0.0.1:${kafka.port}"]`);
    writeFileSync(spec, text);
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes('env("MYSQL_PASSWORD")'));
    written = `${spec}:${line + 1}:${(lines[line] as string).indexOf('env("MYSQL_PASSWORD")') + 1}`;
  });

  afterAll(() => {
    mysql.server.close();
    kafka.server.close();
  });

  /** The environment of a run against the stand-in source, with MYSQL_PASSWORD unset. */
  function withoutPassword(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, MYSQL_HOST: "127.0.0.1", MYSQL_PORT: String(mysql.port), MYSQL_USER: "dts" };
    delete env.MYSQL_PASSWORD;
    return env;
  }

  it("fails naming spec file:line:col and the variable, before connecting to the source or Kafka", async () => {
    const run = await dts(["run", spec], withoutPassword()).finished;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${written}: error DTS5002: source password reads environment variable MYSQL_PASSWORD, which is not set`);
    expect(run.stderr).toMatch(/export MYSQL_PASSWORD/);
    expect(run.stderr).not.toContain("/pipelines/");
    expect(run.stderr).not.toContain("source-connection");
    expect(mysql.connections()).toBe(0);
    expect(kafka.connections()).toBe(0);
  });

  it("dts precheck says the same in the shape of a diagnostic, with the code", async () => {
    const precheck = await dts(["precheck", spec], withoutPassword()).finished;
    expect(precheck.code).toBe(1);
    expect(precheck.stderr).toContain(`${written}: error DTS5002: source password reads environment variable MYSQL_PASSWORD, which is not set\n  hint: export MYSQL_PASSWORD`);
    expect(mysql.connections()).toBe(0);
    expect(kafka.connections()).toBe(0);
  });
});
