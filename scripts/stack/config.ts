// Where the stack keeps its state and which ports it uses. Everything can be moved with
// environment variables so a second copy (CI measurements, a scratch clone) never collides
// with a stack that is already running.
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../..");

export const KAFKA_VERSION = "3.9.1";
export const SCALA_VERSION = "2.13";

export interface StackConfig {
  /** Git-ignored state folder: data dirs, pid files, logs, certificates, `env`. */
  stateDir: string;
  /** Outside the project so fresh clones reuse the Maven-resolved Kafka jars. */
  cacheDir: string;
  host: string;
  mysqlPort: number;
  /** The main server's replica, when `stack:up -- --replica` asks for one. */
  mysqlReplicaPort: number;
  kafkaPort: number;
  kafkaSaslPort: number;
  kafkaControllerPort: number;
  /** The Confluent-compatible schema registry (scripts/stack/schema-registry.ts). */
  schemaRegistryPort: number;
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name}=${raw} is not a TCP port: set it to a number between 1 and 65535`);
  }
  return value;
}

export function stackConfig(): StackConfig {
  return {
    stateDir: resolve(process.env.DTS_STACK_DIR ?? join(repoRoot, ".stack")),
    cacheDir: resolve(process.env.DTS_STACK_CACHE ?? join(homedir(), ".cache/dts-kafka")),
    host: "127.0.0.1",
    mysqlPort: port("DTS_STACK_MYSQL_PORT", 3306),
    mysqlReplicaPort: port("DTS_STACK_MYSQL_REPLICA_PORT", 3307),
    kafkaPort: port("DTS_STACK_KAFKA_PORT", 9092),
    kafkaSaslPort: port("DTS_STACK_KAFKA_SASL_PORT", 9094),
    kafkaControllerPort: port("DTS_STACK_KAFKA_CONTROLLER_PORT", 9093),
    schemaRegistryPort: port("DTS_STACK_SCHEMA_REGISTRY_PORT", 8081),
  };
}
