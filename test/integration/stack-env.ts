// The stack's connection settings as a typed object: read from `.stack/env` (written by
// `npm run stack:up`) or from the file named by DTS_STACK_ENV.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnvFile, STACK_ENV_KEYS } from "../../scripts/stack/env-file.js";
import { stackConfig } from "../../scripts/stack/config.js";

export interface StackEnv {
  mysql: { host: string; port: number; user: string; password: string; rootUser: string; rootPassword: string };
  kafka: { brokers: string[]; saslBrokers: string[]; scramUser: string; scramPassword: string; caFile: string };
}

export function stackEnvPath(): string {
  return process.env.DTS_STACK_ENV ?? join(stackConfig().stateDir, "env");
}

export function loadStackEnv(path = stackEnvPath()): StackEnv {
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run stack:up`);
  const values = parseEnvFile(readFileSync(path, "utf8"));
  const missing = STACK_ENV_KEYS.filter((key) => !values[key]);
  if (missing.length > 0) throw new Error(`${path} lacks ${missing.join(", ")}: run npm run stack:up to rewrite it`);
  const get = (key: (typeof STACK_ENV_KEYS)[number]) => values[key] as string;
  return {
    mysql: {
      host: get("MYSQL_HOST"), port: Number(get("MYSQL_PORT")), user: get("MYSQL_USER"), password: get("MYSQL_PASSWORD"),
      rootUser: get("MYSQL_ROOT_USER"), rootPassword: get("MYSQL_ROOT_PASSWORD"),
    },
    kafka: {
      brokers: get("KAFKA_BROKERS").split(","), saslBrokers: get("KAFKA_SASL_BROKERS").split(","),
      scramUser: get("KAFKA_SCRAM_USER"), scramPassword: get("KAFKA_SCRAM_PASSWORD"), caFile: get("KAFKA_CA_FILE"),
    },
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the env file the global setup wrote or found; read it with loadStackEnv(). */
    stackEnvPath: string;
  }
}
