// The running local stack as the benchmark sees it: connection settings from `.stack/env`
// and a root connection for setup.
import { join } from "node:path";
import mysql from "mysql2/promise";
import { KAFKA_VERSION, stackConfig } from "../../scripts/stack/config.js";
import { readEnvFile } from "../../scripts/stack/env-file.js";
import { kafkaStatus } from "../../scripts/stack/kafka.js";
import { mariadbStatus } from "../../scripts/stack/mariadb.js";

export interface BenchStack {
  mysqlHost: string;
  mysqlPort: number;
  /** The replication user our pipelines read with. */
  replicationUser: string;
  replicationPassword: string;
  rootUser: string;
  rootPassword: string;
  kafkaBrokers: string[];
  /** The broker's release, which Kafka Connect (Debezium's peer) matches. */
  kafkaVersion: string;
  /** The Confluent-compatible API of the stack's schema registry, when stack:up started one. */
  schemaRegistryUrl: string | null;
}

export function loadStack(): BenchStack {
  const config = stackConfig();
  const env = readEnvFile(config.stateDir);
  if (!env) throw new Error(`no ${join(config.stateDir, "env")}: start the local stack first with \`npm run stack:up\``);
  const need = (key: string): string => {
    const value = env[key];
    if (value === undefined || value === "") throw new Error(`${key} is missing from ${join(config.stateDir, "env")}; run \`npm run stack:up\` again`);
    return value;
  };
  return {
    mysqlHost: need("MYSQL_HOST"),
    mysqlPort: Number(need("MYSQL_PORT")),
    replicationUser: need("MYSQL_USER"),
    replicationPassword: need("MYSQL_PASSWORD"),
    rootUser: need("MYSQL_ROOT_USER"),
    rootPassword: need("MYSQL_ROOT_PASSWORD"),
    kafkaBrokers: need("KAFKA_BROKERS").split(","),
    // Env files from before the version was recorded belong to the former fixed release.
    kafkaVersion: env.KAFKA_VERSION || KAFKA_VERSION,
    schemaRegistryUrl: env.SCHEMA_REGISTRY_URL || null,
  };
}

export function rootConnection(stack: BenchStack, database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: stack.mysqlHost, port: stack.mysqlPort, user: stack.rootUser, password: stack.rootPassword,
    ...(database ? { database } : {}), multipleStatements: false,
  });
}

/** The stack's own server processes, metered beside each system: the work a system puts on them counts too. */
export function serverProcesses(): { name: string; pid: number }[] {
  const servers = [{ name: "MariaDB", pid: mariadbStatus().pid }, { name: "Kafka", pid: kafkaStatus().pid }];
  return servers.flatMap(({ name, pid }) => (pid === null ? [] : [{ name, pid }]));
}
