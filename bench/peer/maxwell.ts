// The peer: Maxwell's daemon on Java 17, reading the stack's MariaDB with a user of its own
// and producing JSON into the stack's Kafka with acks=all. Each run starts from a fresh
// schema database, so Maxwell begins at the current binlog position like our pipelines.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../scripts/stack/config.js";
import { runQuiet } from "../../scripts/stack/processes.js";
import { rootConnection, type BenchStack } from "../lib/stack.js";
import { ManagedChild } from "../systems/child-process.js";
import type { RunningSystem, StartRequest, SystemUnderTest } from "../systems/system.js";
import { ensureMaxwellInstalled, type MaxwellInstallation } from "./maxwell-install.js";

export const MAXWELL_USER = "bench_maxwell";
export const MAXWELL_SCHEMA = "bench_maxwell";
const CLIENT_ID = "dts_bench";
/** Distinct from the server ids our pipelines derive from their names. */
const REPLICA_SERVER_ID = 48_001;
/** Maxwell's own launcher script gives the JVM 1 GiB of heap unless told otherwise. */
const JVM_HEAP = "-Xmx1g";

async function compileShim(installation: MaxwellInstallation): Promise<string> {
  const out = join(installation.libsDir, "..", "nashorn-shim");
  if (!existsSync(join(out, "jdk/nashorn/api/scripting/ScriptObjectMirror.class"))) {
    await runQuiet("javac", ["-d", out, join(repoRoot, "bench/peer/nashorn-shim/jdk/nashorn/api/scripting/ScriptObjectMirror.java")]);
  }
  return out;
}

export async function javaMajorVersion(): Promise<number> {
  const output = await runQuiet("java", ["-version"]);
  return Number(/version "(\d+)/.exec(output)?.[1] ?? 0);
}

/** Maxwell's user: read and replicate everything, own its schema database. Rotated per run. */
async function prepareMaxwellUser(stack: BenchStack): Promise<string> {
  const password = randomBytes(18).toString("base64url");
  const conn = await rootConnection(stack);
  try {
    await conn.query(`CREATE OR REPLACE USER '${MAXWELL_USER}'@'%' IDENTIFIED BY '${password}'`);
    await conn.query(`GRANT ALL PRIVILEGES ON \`${MAXWELL_SCHEMA}\`.* TO '${MAXWELL_USER}'@'%'`);
    await conn.query(`GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '${MAXWELL_USER}'@'%'`);
    await conn.query(`DROP DATABASE IF EXISTS \`${MAXWELL_SCHEMA}\``);
  } finally {
    await conn.end();
  }
  return password;
}

export async function removeMaxwellState(stack: BenchStack): Promise<void> {
  const conn = await rootConnection(stack);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${MAXWELL_SCHEMA}\``);
    await conn.query(`DROP USER IF EXISTS '${MAXWELL_USER}'@'%'`);
  } finally {
    await conn.end();
  }
}

function maxwellConfig(stack: BenchStack, request: StartRequest, password: string): string {
  const [host, port] = (stack.kafkaBrokers[0] as string).split(":");
  return [
    "producer=kafka",
    `kafka.bootstrap.servers=${host}:${port}`,
    `kafka_topic=${request.topic}`,
    "kafka.acks=all",
    `host=${stack.mysqlHost}`,
    `port=${stack.mysqlPort}`,
    `user=${MAXWELL_USER}`,
    `password=${password}`,
    `schema_database=${MAXWELL_SCHEMA}`,
    `client_id=${CLIENT_ID}`,
    `replica_server_id=${REPLICA_SERVER_ID}`,
    `filter=exclude: *.*, include: ${request.database}.${request.table}`,
    // MariaDB's annotate-rows events reach Maxwell as "dummy" query events it warns about once
    // per transaction; at warn level that logging would be measured as Maxwell's cost.
    "log_level=error",
    "",
  ].join("\n");
}

/** Maxwell stores its binlog position once it replicates; a bootstrap request needs that. */
async function waitForMaxwellPosition(conn: Awaited<ReturnType<typeof rootConnection>>, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (alive() && Date.now() < deadline) {
    try {
      const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM \`${MAXWELL_SCHEMA}\`.positions WHERE client_id = ?`, [CLIENT_ID]);
      if (Number((rows as Array<{ n: number }>)[0]?.n) > 0) return;
    } catch {
      // Maxwell has not created its schema database yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(alive() ? "Maxwell did not store a binlog position within 120 s" : "Maxwell exited during startup");
}

export function maxwellSystem(stack: BenchStack): SystemUnderTest {
  let installation: MaxwellInstallation | null = null;
  let shimDir = "";
  return {
    label: "Maxwell 1.22.6 (JSON)",
    key: "maxwell",
    isPeer: true,
    async unavailable(): Promise<string | null> {
      try {
        const major = await javaMajorVersion();
        if (major < 11) return `Maxwell needs Java 11 or later; \`java -version\` reports ${major || "no Java"}`;
        installation = await ensureMaxwellInstalled((m) => process.stderr.write(`[bench] ${m}\n`));
        shimDir = await compileShim(installation);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    },
    async start(request: StartRequest): Promise<RunningSystem> {
      if (!installation) throw new Error("Maxwell is not installed: call unavailable() first");
      mkdirSync(request.workDir, { recursive: true });
      const password = await prepareMaxwellUser(stack);
      const configFile = join(request.workDir, "config.properties");
      writeFileSync(configFile, maxwellConfig(stack, request, password), { mode: 0o600 });
      const child = new ManagedChild(
        "java",
        [JVM_HEAP, "-cp", `${shimDir}:${installation.classPath}`, "com.zendesk.maxwell.Maxwell", "--config", configFile],
        join(request.workDir, "output.log"),
        process.env,
        request.workDir,
      );
      request.log(`started Maxwell ${installation.version} (pid ${child.pid}), config ${configFile}`);
      return {
        pid: child.pid,
        alive: () => child.alive(),
        exitReason: () => child.exitReason(),
        async prepareInitialSync() {
          const conn = await rootConnection(stack);
          try {
            await waitForMaxwellPosition(conn, () => child.alive());
            // Maxwell creates its tables with charset utf8, which MariaDB 10.6+ reports as
            // utf8mb3, a name Maxwell 1.22.6 does not know: reading a bootstrap request then
            // fails ("unhandled character set 'utf8mb3'"). Converting the table is a DDL that
            // Maxwell follows, after which it reads the request's strings as utf8mb4.
            await conn.query(`ALTER TABLE \`${MAXWELL_SCHEMA}\`.bootstrap CONVERT TO CHARACTER SET utf8mb4`);
          } finally {
            await conn.end();
          }
        },
        async startInitialSync() {
          const conn = await rootConnection(stack);
          try {
            await conn.query(`INSERT INTO \`${MAXWELL_SCHEMA}\`.bootstrap (database_name, table_name, client_id) VALUES (?, ?, ?)`, [request.database, request.table, CLIENT_ID]);
          } finally {
            await conn.end();
          }
        },
        // bootstrap-start and bootstrap-complete
        initialSyncExtraMessages: 2,
        stop: () => child.stop(),
      };
    },
    cleanUp: () => removeMaxwellState(stack),
  };
}
