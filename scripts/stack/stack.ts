// The whole stack: bring MariaDB and Kafka up (reusing running servers), write `.stack/env`,
// stop what was started, and report what runs. cli.ts and the test global setup both use this.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { stackConfig } from "./config.js";
import { writeEnvFile, type StackEnvValues } from "./env-file.js";
import { kafkaStatus, startKafka, stopKafka } from "./kafka.js";
import { withLock } from "./lock.js";
import { mariadbStatus, startMariadb, stopMariadbInstance, type MariadbInstance } from "./mariadb.js";
import { startMariadbReplica } from "./mariadb-replica.js";
import { SCHEMA_REGISTRY_VERSION, schemaRegistryStatus, startSchemaRegistry, stopSchemaRegistry } from "./schema-registry.js";

export interface StackUp {
  env: StackEnvValues;
  envFile: string;
  mariadbVersion: string;
  kafkaVersion: string;
  /** The main server's replica, when one runs. */
  replica: MariadbInstance | null;
}

/** The replica is opt-in (`--replica`, or DTS_STACK_REPLICA=1); once started, later ups keep it. */
function replicaWanted(asked: boolean): boolean {
  return asked || process.env.DTS_STACK_REPLICA === "1" || mariadbStatus(replicaName).running;
}

const replicaName = "replica";

export async function stackUp(options: { replica?: boolean } = {}): Promise<StackUp> {
  const config = stackConfig();
  return withLock(join(config.stateDir, "up.lock"), async () => {
    // Independent: on a first run apt-get and Maven overlap instead of adding up.
    const [mariadb, kafka, registry] = await Promise.all([startMariadb(), startKafka(), schemaRegistryWanted() ? startSchemaRegistry() : null]);
    const replica = replicaWanted(options.replica === true) ? await startMariadbReplica({ name: replicaName, port: config.mysqlReplicaPort, primary: mariadb, serverId: 2 }) : null;
    const env: StackEnvValues = {
      MYSQL_HOST: mariadb.host,
      MYSQL_PORT: String(mariadb.port),
      MYSQL_USER: mariadb.user,
      MYSQL_PASSWORD: mariadb.password,
      MYSQL_ROOT_USER: mariadb.rootUser,
      MYSQL_ROOT_PASSWORD: mariadb.rootPassword,
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_SASL_BROKERS: kafka.saslBrokers,
      KAFKA_SCRAM_USER: kafka.scramUser,
      KAFKA_SCRAM_PASSWORD: kafka.scramPassword,
      KAFKA_CA_FILE: kafka.caFile,
      KAFKA_VERSION: kafka.version,
      ...(registry ? { SCHEMA_REGISTRY_URL: registry.url } : {}),
      ...(replica ? { MYSQL_REPLICA_HOST: replica.host, MYSQL_REPLICA_PORT: String(replica.port) } : {}),
      ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    };
    return { env, envFile: writeEnvFile(config.stateDir, env), mariadbVersion: mariadb.version, kafkaVersion: kafka.version, replica };
  });
}

/** The schema registry is opt-in: only the registry tests need it, and they start it themselves. */
function schemaRegistryWanted(): boolean {
  return process.env.DTS_STACK_SCHEMA_REGISTRY === "1";
}

/** Names of every MariaDB instance folder in the state dir ("main" plus throwaway ones). */
function mariadbInstanceNames(stateDir: string): string[] {
  if (!existsSync(stateDir)) return [];
  return readdirSync(stateDir)
    .filter((entry) => entry === "mariadb" || entry.startsWith("mariadb-"))
    .map((entry) => (entry === "mariadb" ? "main" : entry.slice("mariadb-".length)));
}

/** Stops every server this stack started (found through its pid files); returns what was stopped. */
export async function stackDown(): Promise<string[]> {
  const config = stackConfig();
  const stopped: string[] = [];
  if (await stopKafka()) stopped.push("Kafka");
  if (await stopSchemaRegistry()) stopped.push("schema registry");
  for (const name of mariadbInstanceNames(config.stateDir)) {
    if (await stopMariadbInstance(name)) stopped.push(name === "main" ? "MariaDB" : `MariaDB "${name}"`);
  }
  return stopped;
}

export interface ServiceStatus {
  service: string;
  running: boolean;
  pid: number | null;
  endpoint: string;
  logFile: string;
}

export function stackStatus(): ServiceStatus[] {
  const config = stackConfig();
  const throwaway = mariadbInstanceNames(config.stateDir).filter((name) => name !== "main" && mariadbStatus(name).running);
  const statuses: ServiceStatus[] = ["main", ...throwaway].map((name) => {
    const status = mariadbStatus(name);
    return {
      service: name === "main" ? "MariaDB" : `MariaDB "${name}"`,
      running: status.running,
      pid: status.pid,
      endpoint: `${config.host}:${name === "main" ? config.mysqlPort : status.port}`,
      logFile: status.logFile,
    };
  });
  const kafka = kafkaStatus();
  statuses.push({
    service: `Kafka ${kafka.version}`,
    running: kafka.running,
    pid: kafka.pid,
    endpoint: `PLAINTEXT ${config.host}:${config.kafkaPort}, SASL_SSL ${config.host}:${config.kafkaSaslPort}, controller ${config.host}:${config.kafkaControllerPort}`,
    logFile: kafka.logFile,
  });
  const registry = schemaRegistryStatus();
  if (registry.running || schemaRegistryWanted()) {
    statuses.push({ service: SCHEMA_REGISTRY_VERSION, running: registry.running, pid: registry.pid, endpoint: registry.url, logFile: registry.logFile });
  }
  return statuses;
}
