// dts precheck against the real stack: a clean spec passes; a server logging STATEMENT
// events, an account without REPLICATION SLAVE, a table without a key, a missing topic, a bad
// SCRAM password and a topic that gained partitions since the checkpoint are each named.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import kafkajs from "kafkajs";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startMariadbInstance, type MariadbInstance } from "../../scripts/stack/control.js";
import { run as precheckCli } from "../../src/cli/precheck.js";
import { freePort } from "./runtime-helpers.js";
import { compile } from "../../src/compiler/index.js";
import { runPrechecks, type CheckResult, type PrecheckReport } from "../../src/precheck/index.js";
import { loadStackEnv, type StackEnv } from "./stack-env.js";

const suffix = `${process.pid}_${Date.now() % 100000}`;
const database = `precheck_${suffix}`;
const topic = `precheck.${suffix}`;
const weakUser = `precheck_weak_${process.pid}`;
/** Everything the pipeline needs but SHOW VIEW, without which MariaDB hides information_schema's constraint tables. */
const selectOnlyUser = `precheck_select_${process.pid}`;
const stateRoot = mkdtempSync(join(tmpdir(), "dts-precheck-"));
let stack: StackEnv;
let root: mysql.Connection;
let admin: kafkajs.Admin;
let second: MariadbInstance | null = null;

interface SpecOptions {
  host?: string;
  port?: string;
  user?: string;
  password?: string;
  tables?: string[];
  /** Table blocks written out, instead of `tables`. */
  tableBlocks?: string[];
  topic?: string;
  brokers?: string;
  kafkaAuth?: string;
  partition?: string;
  checkpointDir?: string;
}

function spec(o: SpecOptions = {}): string {
  const tables = o.tableBlocks?.join("\n") ?? (o.tables ?? ["orders"]).map((t) => `    table "${t}" {}`).join("\n");
  return `pipeline "precheck" {
  partition = ${o.partition ?? "table-hash"}
  source mysql {
    host      = ${o.host ?? 'env("MYSQL_HOST")'}
    port      = ${o.port ?? 'env("MYSQL_PORT")'}
    user      = ${o.user ?? 'env("MYSQL_USER")'}
    password  = ${o.password ?? 'env("MYSQL_PASSWORD")'}
    server_id = 7301
    timezone  = "SYSTEM"
  }
  initial_sync { data = false }
  destination kafka {
    brokers = [${o.brokers ?? '"' + stack.kafka.brokers[0] + '"'}]
    topic   = "${o.topic ?? topic}"
${o.kafkaAuth ?? ""}
  }
  checkpoint { directory = "${o.checkpointDir ?? stateRoot}" }
  database "${database}" {
${tables}
  }
}
`;
}

async function precheck(text: string): Promise<PrecheckReport> {
  const compiled = compile([{ file: "precheck.dts", text }]);
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!compiled.plan) throw new Error("the spec does not compile");
  return runPrechecks(compiled.plan, null, compiled.literalSecrets);
}

function result(report: PrecheckReport, id: string): CheckResult {
  const found = report.pipelines[0]?.results.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}

function failing(report: PrecheckReport): string[] {
  return report.pipelines.flatMap((p) => p.results.filter((r) => r.status === "fail").map((r) => r.id));
}


async function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  try {
    return { code: await precheckCli(args), stdout };
  } finally {
    out.mockRestore();
  }
}

beforeAll(async () => {
  stack = loadStackEnv();
  Object.assign(process.env, {
    MYSQL_HOST: stack.mysql.host, MYSQL_PORT: String(stack.mysql.port), MYSQL_USER: stack.mysql.user, MYSQL_PASSWORD: stack.mysql.password,
    KAFKA_SCRAM_USER: stack.kafka.scramUser, KAFKA_SCRAM_PASSWORD: stack.kafka.scramPassword, PRECHECK_WEAK_PASSWORD: `weak-${suffix}`,
  });
  root = await mysql.createConnection({ host: stack.mysql.host, port: stack.mysql.port, user: stack.mysql.rootUser, password: stack.mysql.rootPassword, multipleStatements: true });
  await root.query(`CREATE DATABASE ${database}; CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, total DECIMAL(10,2)) ENGINE=InnoDB; CREATE TABLE ${database}.events (at DATETIME, what VARCHAR(64)) ENGINE=InnoDB`);
  // Everything the stack's replication user has, except REPLICATION SLAVE.
  await root.query(`CREATE USER '${weakUser}'@'%' IDENTIFIED BY '${process.env.PRECHECK_WEAK_PASSWORD}'; GRANT BINLOG MONITOR, SELECT, SHOW VIEW ON *.* TO '${weakUser}'@'%'`);
  await root.query(`CREATE USER '${selectOnlyUser}'@'%' IDENTIFIED BY '${process.env.PRECHECK_WEAK_PASSWORD}'; GRANT REPLICATION SLAVE, BINLOG MONITOR, SELECT ON *.* TO '${selectOnlyUser}'@'%'`);
  admin = new kafkajs.Kafka({ clientId: "precheck-test", brokers: stack.kafka.brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
});

afterAll(async () => {
  await root?.query(`DROP DATABASE IF EXISTS ${database}; DROP USER IF EXISTS '${weakUser}'@'%'; DROP USER IF EXISTS '${selectOnlyUser}'@'%'`);
  await root?.end();
  await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin?.disconnect();
  await second?.destroy();
});

describe("dts precheck on the stack", () => {
  it("passes a clean spec and prints a table, exit 0", async () => {
    const report = await precheck(spec());
    expect(failing(report)).toEqual([]);
    expect(report.ok).toBe(true);
    for (const id of ["source-connection", "source-version", "binlog-enabled", "binlog-format", "binlog-row-image", "binlog-row-metadata", "privileges", "tables-exist", "table-keys", "table-engines", "kafka-brokers", "kafka-auth", "topics", "partition-count"]) {
      expect(result(report, id), id).toMatchObject({ status: "pass" });
    }
    expect(result(report, "source-version").reason).toMatch(/^MariaDB 10\.11\./);
    expect(result(report, "topics").reason).toContain(`${topic} (3)`);

    const dir = mkdtempSync(join(tmpdir(), "dts-precheck-spec-"));
    writeFileSync(join(dir, "clean.dts"), spec());
    const cli = await runCli([join(dir, "clean.dts")]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/PASS {2}binlog-format +DTS4004 {2}binlog_format is ROW/);
    expect(cli.stdout).toContain("ready to start");
  });

  it("fails binlog-format on a server logging STATEMENT events, exit 1 with --format json", async () => {
    const port = await freePort();
    second = await startMariadbInstance({ name: `precheck-${process.pid}`, port, extraArgs: ["--binlog-format=STATEMENT"], fresh: true });
    const db = await mysql.createConnection({ host: second.host, port, user: second.rootUser, password: second.rootPassword, multipleStatements: true });
    await db.query(`CREATE DATABASE ${database}; CREATE TABLE ${database}.orders (id INT PRIMARY KEY)`);
    await db.end();
    process.env.PRECHECK_SECOND_PASSWORD = second.password;
    const text = spec({ port: String(port), user: `"${second.user}"`, password: 'env("PRECHECK_SECOND_PASSWORD")' });
    const report = await precheck(text);
    expect(failing(report)).toEqual(["binlog-format"]);
    expect(result(report, "binlog-format").reason).toContain("binlog_format is STATEMENT");
    expect(result(report, "binlog-format").fix).toContain("SET GLOBAL binlog_format = 'ROW'");

    const dir = mkdtempSync(join(tmpdir(), "dts-precheck-spec-"));
    writeFileSync(join(dir, "statement.dts"), text);
    const cli = await runCli([join(dir, "statement.dts"), "--format", "json"]);
    expect(cli.code).toBe(1);
    const json = JSON.parse(cli.stdout) as PrecheckReport;
    expect(json.ok).toBe(false);
    expect(json.pipelines[0]?.results.find((r) => r.id === "binlog-format")?.status).toBe("fail");
    expect(cli.stdout).not.toContain(second.password);
  });

  it("warns about a failover server the pipeline could not stream from, naming it and the setting", async () => {
    // The STATEMENT server of the test before, with the stack's account, as a failover server.
    const server = second as MariadbInstance;
    const db = await mysql.createConnection({ host: server.host, port: server.port, user: server.rootUser, password: server.rootPassword });
    await db.query("ALTER USER ?@'%' IDENTIFIED BY ?", [stack.mysql.user, stack.mysql.password]);
    await db.end();
    const live = `${stack.mysql.host}:${stack.mysql.port}`;
    const failover = `${server.host}:${server.port}`;
    const report = await precheck(spec({ host: `["${live}", "${failover}"]` }));
    expect(report.ok).toBe(true);
    expect(result(report, "source-connection")).toMatchObject({ status: "warn" });
    expect(result(report, "source-connection").reason).toContain(`connected to ${live} as "dts", but failover server ${failover}: binlog_format is STATEMENT`);
    expect(result(report, "source-connection").fix).toContain(`on ${failover}: SET GLOBAL binlog_format = 'ROW'`);
    expect(result(report, "binlog-format").status).toBe("pass");
  });

  it("fails privileges for an account without REPLICATION SLAVE and names it", async () => {
    const report = await precheck(spec({ user: `"${weakUser}"`, password: 'env("PRECHECK_WEAK_PASSWORD")' }));
    expect(failing(report)).toEqual(["privileges"]);
    expect(result(report, "privileges").reason).toContain(`${weakUser}@% lacks REPLICATION SLAVE`);
    expect(result(report, "privileges").fix).toContain(`GRANT REPLICATION SLAVE ON *.* TO '${weakUser}'@'%';`);
  });

  it("explains a wrong password without printing it", async () => {
    process.env.PRECHECK_WRONG = "not-the-password-123";
    const report = await precheck(spec({ password: 'env("PRECHECK_WRONG")' }));
    expect(result(report, "source-connection")).toMatchObject({ status: "fail" });
    expect(result(report, "source-connection").reason).toMatch(/refused user "dts"/);
    expect(JSON.stringify(report)).not.toContain("not-the-password-123");
    expect(result(report, "binlog-format").reason).toMatch(/^not checked/);
  });

  it("shows the checks a refused connection leaves unchecked once, as skipped, and fails only the connection", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-precheck-spec-"));
    writeFileSync(join(dir, "closed.dts"), spec({ port: String(await freePort()) }));
    const cli = await runCli([join(dir, "closed.dts")]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/FAIL {2}source-connection +DTS4001 {2}nothing listens on/);
    expect(cli.stdout).toContain("  SKIP  source-version, binlog-enabled, … (16 checks): not checked because no connection to the source\n");
    expect(cli.stdout).not.toContain("WARN");
    expect(cli.stdout).toContain("0 warning(s), 1 failed, 16 not checked: will not start");
  });

  it("checks the first of several servers that answers, and warns about a failover server that does not", async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const live = `${stack.mysql.host}:${stack.mysql.port}`;
    const report = await precheck(spec({ host: `["${dead}", "${live}"]` }));
    expect(report.ok).toBe(true);
    expect(result(report, "source-connection")).toMatchObject({ status: "warn" });
    expect(result(report, "source-connection").reason).toMatch(new RegExp(`^connected to ${live} as "dts", but nothing listens on ${dead}`));
    expect(result(report, "binlog-format").status).toBe("pass");
    const bothLive = await precheck(spec({ host: `["${live}", "${live.replace("127.0.0.1", "localhost")}"]` }));
    expect(result(bothLive, "source-connection")).toMatchObject({ status: "pass", reason: `connected to ${live} as "dts"; every failover server answers` });
  });

  it("warns about a table without a key, naming it", async () => {
    const report = await precheck(spec({ tables: ["orders", "events"] }));
    expect(report.ok).toBe(true);
    expect(result(report, "table-keys")).toMatchObject({ status: "warn" });
    expect(result(report, "table-keys").reason).toContain(`${database}.events has neither a primary key nor a unique key`);
  });

  it("counts only a unique key the server takes as primary key: NOT NULL columns, whole", async () => {
    await root.query(`CREATE TABLE ${database}.emails (id INT, email VARCHAR(64), UNIQUE KEY (email)); CREATE TABLE ${database}.notes (id INT, body TEXT NOT NULL, UNIQUE KEY (body(10)))`);
    try {
      const report = await precheck(spec({ tables: ["orders", "emails", "notes"] }));
      expect(result(report, "table-keys")).toMatchObject({ status: "warn" });
      expect(result(report, "table-keys").reason).toContain(`${database}.emails, ${database}.notes have neither a primary key nor a unique key of NOT NULL columns`);
    } finally {
      await root.query(`DROP TABLE ${database}.emails, ${database}.notes`);
    }
  });

  it("fails a table without a key whose rows go to a compacted topic", async () => {
    const compacted = `${topic}.compacted-rows`;
    await admin.createTopics({ topics: [{ topic: compacted, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] }], waitForLeaders: true });
    try {
      const report = await precheck(spec({ tableBlocks: ['    table "orders" {}', `    table "events" { topic = "${compacted}" }`] }));
      expect(failing(report)).toEqual(["table-keys"]);
      expect(result(report, "table-keys").reason).toContain(`${database}.events (topic ${compacted}) has no key and goes to a compacted topic`);
      const keyed = await precheck(spec({ tableBlocks: [`    table "orders" { topic = "${compacted}" }`] }));
      expect(failing(keyed)).toEqual([]);
    } finally {
      await admin.deleteTopics({ topics: [compacted] }).catch(() => undefined);
    }
  });

  it("shows a table name's escape sequences escaped, never obeyed by the terminal", async () => {
    const name = "t\u001b]0;PWNED\u0007\u001b[31m";
    await root.query(`CREATE TABLE ${database}.\`${name}\` (at DATETIME)`);
    try {
      const dir = mkdtempSync(join(tmpdir(), "dts-precheck-spec-"));
      writeFileSync(join(dir, "escapes.dts"), spec({ tableBlocks: ['    table glob("*") {}'] }));
      for (const format of [[], ["--format", "json"]]) {
        const cli = await runCli([join(dir, "escapes.dts"), ...format]);
        expect(cli.stdout).not.toContain("\u001b");
        expect(cli.stdout).not.toContain("\u0007");
      }
      expect((await runCli([join(dir, "escapes.dts")])).stdout).toContain("t\\x1b]0;PWNED\\x07\\x1b[31m");
    } finally {
      await root.query(`DROP TABLE ${database}.\`${name}\``);
    }
  });

  it("sees the keys of tables whose names differ only in case", async () => {
    await root.query(`CREATE TABLE ${database}.Orders (id INT PRIMARY KEY); CREATE TABLE ${database}.ORDERS (id INT, code INT NOT NULL, UNIQUE KEY (code))`);
    try {
      const report = await precheck(spec({ tables: ["orders", "Orders", "ORDERS"] }));
      expect(result(report, "table-keys")).toMatchObject({ status: "pass", reason: "all 3 selected table(s) have a key (1 by a unique key only)" });
    } finally {
      await root.query(`DROP TABLE ${database}.Orders, ${database}.ORDERS`);
    }
  });

  it("fails a system-versioned table, naming it and how to leave it out", async () => {
    await root.query(`CREATE TABLE ${database}.prices (id INT PRIMARY KEY, amount INT) WITH SYSTEM VERSIONING`);
    try {
      const report = await precheck(spec({ tables: ["orders", "prices"] }));
      expect(failing(report)).toEqual(["table-engines"]);
      expect(result(report, "table-engines").reason).toContain(`${database}.prices is system-versioned`);
    } finally {
      await root.query(`DROP TABLE ${database}.prices`);
    }
  });

  it("warns about a table that foreign-key cascades change, naming the key and its rule", async () => {
    await root.query(`CREATE TABLE ${database}.lines (id INT PRIMARY KEY, order_id BIGINT, CONSTRAINT fk_lines_order FOREIGN KEY (order_id) REFERENCES ${database}.orders (id) ON DELETE CASCADE) ENGINE=InnoDB`);
    try {
      const report = await precheck(spec({ tables: ["orders", "lines"] }));
      expect(report.ok).toBe(true);
      expect(result(report, "foreign-key-cascades")).toMatchObject({ status: "warn" });
      expect(result(report, "foreign-key-cascades").reason).toContain(`${database}.lines by fk_lines_order (ON DELETE CASCADE from orders)`);
    } finally {
      await root.query(`DROP TABLE ${database}.lines`);
    }
  });

  it("sees keys without SHOW VIEW, and says it could not read foreign-key rules rather than pass", async () => {
    await root.query(`CREATE TABLE ${database}.lines (id INT PRIMARY KEY, order_id BIGINT, CONSTRAINT fk_lines_order FOREIGN KEY (order_id) REFERENCES ${database}.orders (id) ON DELETE CASCADE) ENGINE=InnoDB`);
    try {
      const report = await precheck(spec({ tables: ["orders", "lines"], user: `"${selectOnlyUser}"`, password: 'env("PRECHECK_WEAK_PASSWORD")' }));
      expect(report.ok).toBe(true);
      expect(result(report, "privileges")).toMatchObject({ status: "warn" });
      expect(result(report, "table-keys")).toMatchObject({ status: "pass", reason: "all 2 selected table(s) have a key" });
      expect(result(report, "foreign-key-cascades")).toMatchObject({ status: "warn" });
      expect(result(report, "foreign-key-cascades").reason).toContain(`foreign keys of ${database}.lines (fk_lines_order) could not be read`);
      expect(result(report, "foreign-key-cascades").fix).toContain(`GRANT SHOW VIEW ON *.* TO '${selectOnlyUser}'@'%';`);
    } finally {
      await root.query(`DROP TABLE ${database}.lines`);
    }
  });

  it("fails at once, with the hint, on a broker address where MariaDB or a TLS listener answers", async () => {
    const mariadb = await precheck(spec({ brokers: `"${stack.mysql.host}:${stack.mysql.port}"` }));
    expect(result(mariadb, "kafka-brokers")).toMatchObject({ status: "fail" });
    expect(result(mariadb, "kafka-brokers")).not.toHaveProperty("unreachable");
    expect(result(mariadb, "kafka-brokers").reason).toMatch(/is a MySQL or MariaDB server \(.*MariaDB.*\): not a Kafka listener/);
    const plaintextOnTls = await precheck(spec({ brokers: `"${stack.kafka.saslBrokers[0]}"` }));
    expect(failing(plaintextOnTls)).toEqual(["kafka-auth"]);
    expect(result(plaintextOnTls, "kafka-auth").reason).toContain("the listener answered in TLS, but the client spoke plaintext");
    expect(result(plaintextOnTls, "kafka-auth").fix).toContain("set tls = on");
  });

  it("fails an exact table that does not exist", async () => {
    const report = await precheck(spec({ tables: ["orders", "refunds"] }));
    expect(failing(report)).toEqual(["tables-exist"]);
    expect(result(report, "tables-exist").reason).toContain(`table "refunds"`);
  });

  it("checks the columns a rule names in any case, and fails a missing one or two columns of one name", async () => {
    const matching = await precheck(spec({ tableBlocks: ['    table "orders" {\n      filter = (TOTAL > 1)\n      columns { include = ["ID", "Total"] }\n    }'] }));
    expect(result(matching, "table-columns")).toMatchObject({ status: "pass" });
    const keyLeftOut = await precheck(spec({ tableBlocks: ['    table "orders" {\n      columns { exclude = ["ID"] }\n    }'] }));
    expect(result(keyLeftOut, "table-columns")).toMatchObject({ status: "warn" });
    expect(result(keyLeftOut, "table-columns").reason).toContain(`leave out key column id of table ${database}.orders`);
    const wrong = await precheck(spec({ tableBlocks: ['    table "orders" {\n      filter = (nosuch = 1)\n      columns { rename = { total = "ID" } }\n    }'] }));
    expect(failing(wrong)).toEqual(["table-columns"]);
    expect(result(wrong, "table-columns").reason).toBe(
      `columns at precheck.dts:19:5 give table ${database}.orders two columns named ID: id and total (renamed to ID), row filter at precheck.dts:19:5 names column nosuch, which table ${database}.orders does not have`,
    );
  });

  it("fails a missing topic when topics are not created", async () => {
    const missing = `${topic}.missing`;
    const report = await precheck(spec({ topic: missing }));
    expect(failing(report)).toEqual(["topics"]);
    expect(result(report, "topics").reason).toContain(`topic ${missing} does not exist`);
  });

  it("fails a compacted topic that would get the initial sync's schema records, which have no key", async () => {
    const compacted = `${topic}.compacted`;
    await admin.createTopics({ topics: [{ topic: compacted, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] }], waitForLeaders: true });
    try {
      const report = await precheck(spec({ topic: compacted }));
      expect(failing(report)).toEqual(["topics"]);
      expect(result(report, "topics").reason).toContain(`topic ${compacted} is compacted (cleanup.policy=compact)`);
    } finally {
      await admin.deleteTopics({ topics: [compacted] }).catch(() => undefined);
    }
  });

  it("checks SCRAM over TLS: accepted with the right password, named when it is wrong", async () => {
    const auth = (password: string) => `    tls = verify("${stack.kafka.caFile}")
    auth {
      mechanism = scram-sha-256
      username  = env("KAFKA_SCRAM_USER")
      password  = env("${password}")
    }`;
    const brokers = stack.kafka.saslBrokers.map((b) => `"${b}"`).join(", ");
    const good = await precheck(spec({ brokers, kafkaAuth: auth("KAFKA_SCRAM_PASSWORD") }));
    expect(result(good, "kafka-auth")).toMatchObject({ status: "pass" });
    expect(result(good, "kafka-auth").reason).toContain("SASL scram-sha-256 accepted, TLS");

    process.env.PRECHECK_BAD_SCRAM = "wrong-scram-password";
    const bad = await precheck(spec({ brokers, kafkaAuth: auth("PRECHECK_BAD_SCRAM") }));
    expect(failing(bad)).toContain("kafka-auth");
    expect(result(bad, "kafka-auth").reason).toMatch(/SASL scram-sha-256 was rejected/);
    expect(JSON.stringify(bad)).not.toContain("wrong-scram-password");

    // Without an auth block the SASL listener closes at the first request: a missing login, not a broker out of reach.
    const none = await precheck(spec({ brokers, kafkaAuth: `    tls = verify("${stack.kafka.caFile}")` }));
    expect(failing(none)).toContain("kafka-auth");
    expect(result(none, "kafka-brokers").status).toBe("pass");
    expect(result(none, "kafka-auth")).toMatchObject({ reason: expect.stringContaining("it expects SASL authentication"), fix: expect.stringContaining("add an auth block") });
  });

  it("fails when a topic's partition count changed since the checkpoint", async () => {
    const checkpointDir = mkdtempSync(join(tmpdir(), "dts-precheck-state-"));
    mkdirSync(join(checkpointDir, "precheck"));
    const checkpoint = { version: 1, pipeline: "precheck", position: { file: "mariadb-bin.000001", offset: 4, gtidSet: null }, eventTimeSeconds: 0, partitionCounts: { [topic]: 2 }, updatedAt: new Date().toISOString() };
    writeFileSync(join(checkpointDir, "precheck", "checkpoint.json"), JSON.stringify(checkpoint));
    const report = await precheck(spec({ checkpointDir }));
    expect(failing(report)).toEqual(["partition-count"]);
    expect(result(report, "partition-count").reason).toContain(`topic ${topic} now has 3 partitions but had 2`);
  });
});
