// `.stack/env`: the connection settings of the running stack, in a form both a shell
// (`. .stack/env`) and the tests can read.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const STACK_ENV_KEYS = [
  "MYSQL_HOST", "MYSQL_PORT", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_ROOT_USER", "MYSQL_ROOT_PASSWORD",
  "KAFKA_BROKERS", "KAFKA_SASL_BROKERS", "KAFKA_SCRAM_USER", "KAFKA_SCRAM_PASSWORD", "KAFKA_CA_FILE",
] as const;
export type StackEnvKey = (typeof STACK_ENV_KEYS)[number];
// KAFKA_VERSION is informational (which broker runs), so env files written before it stay valid.
export type StackEnvValues = Record<StackEnvKey, string> & { KAFKA_VERSION?: string; SCHEMA_REGISTRY_URL?: string; JAVA_HOME?: string; MYSQL_REPLICA_HOST?: string; MYSQL_REPLICA_PORT?: string };

export function envFilePath(stateDir: string): string {
  return join(stateDir, "env");
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:,@+-]*$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Writes atomically (rename) so a reader never sees half a file; mode 0600 since it holds passwords. */
export function writeEnvFile(stateDir: string, values: StackEnvValues): string {
  const path = envFilePath(stateDir);
  const lines = ["# Written by `npm run stack:up`. Load it with: . .stack/env"];
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) lines.push(`export ${key}=${shellQuote(value)}`);
  }
  writeFileSync(`${path}.tmp`, `${lines.join("\n")}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return path;
}

/** Parses the file written by writeEnvFile (plain `KEY=value` lines are accepted too). */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const raw = (match[2] as string).trim();
    values[match[1] as string] = raw.startsWith("'") ? raw.slice(1, -1).replaceAll(`'\\''`, "'") : raw.replace(/^"(.*)"$/, "$1");
  }
  return values;
}

export function readEnvFile(stateDir: string): Record<string, string> | null {
  const path = envFilePath(stateDir);
  return existsSync(path) ? parseEnvFile(readFileSync(path, "utf8")) : null;
}
