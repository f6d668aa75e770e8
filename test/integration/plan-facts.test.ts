// The facts src/plan shares between the precheck and the run, on the real stack: a precheck
// that passes means the run can start and deliver.
// - Topics: with `initial_sync { schema = true }`, a distinct ddl_topic and DDL ignored, the
//   run writes schema records to the DDL topic, so the precheck must ask for it.
// - Server settings: the precheck and the run's start-up check read the same settings and
//   apply the same rules, on the stack's server and on a throwaway one with MINIMAL row images.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import kafkajs from "kafkajs";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariadbInstance, type MariadbInstance } from "../../scripts/stack/control.js";
import { compile, type ExecutionPlan } from "../../src/compiler/index.js";
import { checkServerRequirements } from "../../src/plan/server-requirements.js";
import { runPrechecks, type PrecheckReport } from "../../src/precheck/index.js";
import { gatherSourceFacts } from "../../src/precheck/source-facts.js";
import { inspectServer, readServerSettings } from "../../src/runtime/source/server-checks.js";
import { exportStackEnv, freePort, kafka, readTopic, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const testDb = useTestDatabase("plan_facts", (database) => [`CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, total DECIMAL(10,2))`, `INSERT INTO ${database}.orders VALUES (1, 9.50)`]);
const dataTopic = uniqueName("plan.facts").replaceAll("_", ".");
const ddlTopic = `${dataTopic}.ddl`;
const stateDir = mkdtempSync(join(tmpdir(), "dts-plan-facts-"));
let admin: kafkajs.Admin;

function schemaSyncSpec(source = ""): string {
  return `pipeline "plan_facts" {
  format       = canal-json
  initial_sync {
    schema = true
    data   = false
  }
  source mysql {
    host      = env("MYSQL_HOST")
    port      = env("MYSQL_PORT")
    user      = env("MYSQL_USER")
    password  = env("MYSQL_PASSWORD")
    server_id = ${30000 + Math.floor(Math.random() * 10000)}
    timezone  = "SYSTEM"
${source}
  }
  destination kafka {
    brokers   = ["${process.env.KAFKA_BROKERS}"]
    topic     = "${dataTopic}"
    ddl_topic = "${ddlTopic}"
  }
  checkpoint { directory = "${stateDir}" }
  database "${testDb.database}" {
    table "orders" {}
  }
}
`;
}

function compilePlan(text: string): { plan: ExecutionPlan; literalSecrets: Record<string, string> } {
  const compiled = compile([{ file: "plan-facts.dts", text }]);
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!compiled.plan) throw new Error("the spec does not compile");
  return { plan: compiled.plan, literalSecrets: compiled.literalSecrets };
}

function item(report: PrecheckReport, id: string) {
  return report.pipelines[0]?.results.find((r) => r.id === id);
}

beforeAll(async () => {
  exportStackEnv();
  admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: dataTopic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
});

afterAll(async () => {
  await admin?.deleteTopics({ topics: [dataTopic, ddlTopic] }).catch(() => undefined);
  await admin?.disconnect();
});

describe("topics: the precheck asks for every topic the run writes", () => {
  it("the compiler does not call the ddl_topic useless when the initial sync writes schema records there", () => {
    const compiled = compile([{ file: "plan-facts.dts", text: schemaSyncSpec() }]);
    expect(compiled.diagnostics.map((d) => d.message)).not.toContain("ddl_topic has no effect while DDL is ignored");
  });

  it("fails the precheck on the missing DDL topic, then, once it exists, passes and the run delivers the schema records there", async () => {
    const { plan, literalSecrets } = compilePlan(schemaSyncSpec());
    const before = await runPrechecks(plan, null, literalSecrets);
    expect(item(before, "topics")).toMatchObject({ status: "fail", reason: expect.stringContaining(`${ddlTopic} does not exist`) });
    expect(before.ok).toBe(false);

    await admin.createTopics({ topics: [{ topic: ddlTopic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const after = await runPrechecks(plan, null, literalSecrets);
    expect(after.pipelines[0]?.results.filter((r) => r.status === "fail")).toEqual([]);

    const runtime = await startInProcess(plan);
    try {
      const records = await readTopic(ddlTopic, 1, 30_000);
      expect(records.length).toBeGreaterThan(0);
      expect(records.map((r) => r.value.toString("utf8")).join("\n")).toContain("orders");
    } finally {
      const result = await runtime.stop();
      expect(result.error ?? null).toBeNull();
    }
  }, 120_000);
});

describe("server settings: the precheck and the run's start-up check agree", () => {
  let second: MariadbInstance | null = null;

  afterAll(async () => {
    await second?.destroy();
  });

  async function bothPaths(options: mysql.ConnectionOptions) {
    const { plan } = compilePlan(schemaSyncSpec());
    const pipeline = plan.pipelines[0] as ExecutionPlan["pipelines"][number];
    const conn = await mysql.createConnection(options);
    try {
      const precheck = checkServerRequirements(await gatherSourceFacts(conn), pipeline);
      const runtime = checkServerRequirements(await readServerSettings(conn), pipeline);
      const start = await inspectServer(conn, pipeline).then(() => null, (error: Error) => error.message);
      return { precheck, runtime, start };
    } finally {
      await conn.end();
    }
  }

  it("reads the same settings on the stack's server, passes them all and lets the run start", async () => {
    const { precheck, runtime, start } = await bothPaths({ host: process.env.MYSQL_HOST, port: Number(process.env.MYSQL_PORT), user: process.env.MYSQL_USER, password: process.env.MYSQL_PASSWORD });
    expect(runtime).toEqual(precheck);
    expect(precheck.find((r) => r.id === "binlog-transaction-compression")).toMatchObject({ status: "pass" });
    expect(precheck.filter((r) => r.status === "fail")).toEqual([]);
    expect(start).toBeNull();
  });

  it("fails binlog-row-image in both on a server logging MINIMAL row images, with the same reason", async () => {
    const port = await freePort();
    second = await startMariadbInstance({ name: `plan-facts-${process.pid}`, port, extraArgs: ["--binlog-row-image=MINIMAL"], fresh: true });
    const { precheck, runtime, start } = await bothPaths({ host: second.host, port, user: second.rootUser, password: second.rootPassword });
    expect(runtime).toEqual(precheck);
    const rowImage = precheck.find((r) => r.id === "binlog-row-image");
    expect(rowImage).toMatchObject({ status: "fail", reason: expect.stringContaining("binlog_row_image is MINIMAL") });
    expect(start).toContain(rowImage?.reason);
  }, 120_000);
});
