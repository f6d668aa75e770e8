// The second peer: Debezium's MariaDB connector in a Kafka Connect standalone worker on Java 17,
// reading the stack's MariaDB with a user of its own and producing JSON (no schemas) or Avro
// (Apicurio's converter and the stack's registry) into the stack's Kafka. Each run starts a
// fresh worker with empty offsets and schema history, so the connector snapshots the table
// (initial sync) or starts at the current binlog position.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { javaBinary } from "../../scripts/stack/processes.js";
import { CONFLUENT_API_PATH } from "../../scripts/stack/schema-registry.js";
import { rootConnection, type BenchStack } from "../lib/stack.js";
import { ManagedChild } from "../systems/child-process.js";
import type { RunningSystem, StartRequest, SystemUnderTest } from "../systems/system.js";
import { ConnectRest, freeLocalPort } from "./connect-rest.js";
import { connectorConfig, DEBEZIUM_CONNECTOR_NAME, loggingConfig, workerProperties, type ConverterSettings } from "./debezium-config.js";
import { DEBEZIUM_VERSION, ensureDebeziumInstalled, type DebeziumConverter, type DebeziumInstallation } from "./debezium-install.js";
import { javaMajorVersion } from "./maxwell.js";

export const DEBEZIUM_USER = "bench_debezium";
/** What connect-standalone.sh gives the JVM unless KAFKA_HEAP_OPTS says otherwise. */
const JVM_HEAP = ["-Xms256M", "-Xmx2G"];
/** How often a running worker is asked whether its connector failed (a failed task does not exit). */
const STATUS_POLL_MS = 2000;

/** The privileges Debezium's documentation lists for the MySQL/MariaDB connector. Rotated per run. */
async function prepareDebeziumUser(stack: BenchStack): Promise<string> {
  const password = randomBytes(18).toString("base64url");
  const conn = await rootConnection(stack);
  try {
    await conn.query(`CREATE OR REPLACE USER '${DEBEZIUM_USER}'@'%' IDENTIFIED BY '${password}'`);
    await conn.query(`GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '${DEBEZIUM_USER}'@'%'`);
  } finally {
    await conn.end();
  }
  return password;
}

export async function removeDebeziumState(stack: BenchStack): Promise<void> {
  const conn = await rootConnection(stack);
  try {
    await conn.query(`DROP USER IF EXISTS '${DEBEZIUM_USER}'@'%'`);
  } finally {
    await conn.end();
  }
}

/** Writes the worker's files into the work folder and starts it (without a connector yet). */
async function startWorker(stack: BenchStack, installation: DebeziumInstallation, converter: ConverterSettings, request: StartRequest): Promise<{ child: ManagedChild; rest: ConnectRest }> {
  mkdirSync(request.workDir, { recursive: true });
  const restPort = await freeLocalPort();
  const workerFile = join(request.workDir, "connect-standalone.properties");
  writeFileSync(workerFile, workerProperties({ bootstrapServers: stack.kafkaBrokers.join(","), offsetsFile: join(request.workDir, "offsets.dat"), restPort, converter }));
  const logging = loggingConfig(installation.connectMajor);
  const loggingFile = join(request.workDir, logging.fileName);
  writeFileSync(loggingFile, logging.text);
  const child = new ManagedChild(
    javaBinary(),
    [...JVM_HEAP, logging.jvmFlag(loggingFile), "-cp", installation.classPath, "org.apache.kafka.connect.cli.ConnectStandalone", workerFile],
    join(request.workDir, "output.log"),
    process.env,
    request.workDir,
  );
  request.log(`started Kafka Connect ${installation.connectVersion} with Debezium ${installation.debeziumVersion} (pid ${child.pid}), REST on port ${restPort}`);
  return { child, rest: new ConnectRest(restPort) };
}

/** Starts the worker; creates the connector now, or for an initial sync when startInitialSync is called. */
async function startDebezium(stack: BenchStack, installation: DebeziumInstallation, converter: ConverterSettings, request: StartRequest): Promise<RunningSystem> {
  const password = await prepareDebeziumUser(stack);
  const { child, rest } = await startWorker(stack, installation, converter, request);
  let failure: string | null = null;
  const poller = setInterval(() => {
    rest.failure(DEBEZIUM_CONNECTOR_NAME).then((reason) => { failure ??= reason; }, () => undefined);
  }, STATUS_POLL_MS);
  const createConnector = () => rest.createConnector(DEBEZIUM_CONNECTOR_NAME, connectorConfig({
    mysqlHost: stack.mysqlHost, mysqlPort: stack.mysqlPort, user: DEBEZIUM_USER, password,
    database: request.database, table: request.table, topic: request.topic,
    initialSync: request.initialSync, historyFile: join(request.workDir, "schema-history.dat"), converter: converter.kind,
  }));
  const stop = async () => {
    clearInterval(poller);
    await child.stop();
  };
  try {
    await rest.waitUntilReady(() => child.alive(), () => child.exitReason());
    // Streaming workloads begin at once; an initial sync waits for startInitialSync, so the
    // snapshot is timed from the connector's creation as Maxwell's is from its bootstrap request.
    if (!request.initialSync) await createConnector();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    pid: child.pid,
    alive: () => child.alive() && failure === null,
    exitReason: () => failure ?? child.exitReason(),
    prepareInitialSync: async () => undefined,
    startInitialSync: createConnector,
    initialSyncExtraMessages: 0,
    stop,
  };
}

/** Apicurio's converter speaks the registry's own API, beside the Confluent-compatible one the stack records. */
function converterSettings(stack: BenchStack, converter: DebeziumConverter): ConverterSettings | string {
  if (converter === "json") return { kind: "json" };
  if (!stack.schemaRegistryUrl) return "Debezium with Avro needs the stack's schema registry: start the stack with DTS_STACK_SCHEMA_REGISTRY=1 npm run stack:up";
  return { kind: "avro", registryApiUrl: stack.schemaRegistryUrl.replace(CONFLUENT_API_PATH, "/apis/registry/v2") };
}

export function debeziumSystem(stack: BenchStack, converter: DebeziumConverter): SystemUnderTest {
  let installation: DebeziumInstallation | null = null;
  const settings = converterSettings(stack, converter);
  return {
    label: `Debezium ${DEBEZIUM_VERSION.replace(/\.Final$/, "")} (${converter === "json" ? "JSON" : "Avro"})`,
    // Names the bench table too, so it must be a bare SQL identifier.
    key: converter === "json" ? "debezium" : "debezium_avro",
    isPeer: true,
    async unavailable(): Promise<string | null> {
      if (typeof settings === "string") return settings;
      try {
        const major = await javaMajorVersion();
        if (major < 17) return `Debezium 3 needs Java 17 or later; \`java -version\` reports ${major || "no Java"}`;
        installation = await ensureDebeziumInstalled(stack.kafkaVersion, converter, (m) => process.stderr.write(`[bench] ${m}\n`));
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    },
    start(request: StartRequest): Promise<RunningSystem> {
      if (!installation || typeof settings === "string") throw new Error("Debezium is not installed: call unavailable() first");
      return startDebezium(stack, installation, settings, request);
    },
    cleanUp: () => removeDebeziumState(stack),
  };
}
