// A pipeline's connection settings, resolved once where a run, a precheck or `dts tail` starts:
// every env(), file() and literal secret is read here, before anything connects, and each
// problem is reported against where the spec wrote it (the error's location). What comes out is ready for the clients;
// nothing downstream sees a secret reference or a plan pointer.
import type { KafkaConfig } from "kafkajs";
import type { ExecutionPlan, Pipeline } from "../generated/plan.js";
import { RuntimeError } from "./errors.js";
import { resolveSecret, resolveSetting, settingName, type LiteralSecrets } from "./secrets.js";
import { kafkaConfig } from "./sink/kafka-client.js";
import { mysqlEndpoint, type MysqlEndpoint } from "./source/mysql-connection.js";

export interface PipelineConnections {
  /** The server a session reads: the spec's first; the runner swaps in another on failover. */
  source: MysqlEndpoint;
  /** Every server of the source in the spec's order (primary first); `source` is one of them. */
  sourceServers: readonly MysqlEndpoint[];
  /** kafkajs settings without a logger; createKafka adds one. */
  kafka: KafkaConfig;
  /** The schema registry's URL, when the plan names one. */
  schemaRegistry: { url: string } | null;
}

/** Resolves the connection settings of the plan's pipeline at `index`; throws a RuntimeError for the first problem. */
export function resolveConnections(plan: ExecutionPlan, index: number, literalSecrets: LiteralSecrets, env: NodeJS.ProcessEnv = process.env): PipelineConnections {
  const reader = settingsReader(plan, index, literalSecrets, env);
  const { destination } = reader.pipeline;
  const sourceServers = resolveSourceServers(reader);
  return { source: sourceServers[0] as MysqlEndpoint, sourceServers, kafka: resolveKafka(reader), schemaRegistry: destination.schemaRegistry && resolveRegistry(reader) };
}

/** The registry's URL with its user's password, when the spec gives one (never in the plan's URL). */
function resolveRegistry({ pipeline: { destination }, env, literal, named }: SettingsReader): { url: string } {
  const registry = destination.schemaRegistry as NonNullable<Pipeline["destination"]["schemaRegistry"]>;
  const password = registry.password ? resolveSecret(registry.password, named("schema registry password"), literal("/destination/schemaRegistry/password"), env) : null;
  if (password === null) return { url: registry.url };
  const url = new URL(registry.url);
  url.password = encodeURIComponent(password);
  return { url: url.toString() };
}

/** Only the Kafka settings, for tools that never touch the source (`dts tail`). */
export function resolveKafkaConnection(plan: ExecutionPlan, index: number, literalSecrets: LiteralSecrets, env: NodeJS.ProcessEnv = process.env): KafkaConfig {
  return resolveKafka(settingsReader(plan, index, literalSecrets, env));
}

interface SettingsReader {
  pipeline: Pipeline;
  env: NodeJS.ProcessEnv;
  /** The literal value compile() kept for the secret at this plan path, if any. */
  literal(path: string): string | undefined;
  named(name: string): { name: string; pipeline: string };
}

function settingsReader(plan: ExecutionPlan, index: number, literalSecrets: LiteralSecrets, env: NodeJS.ProcessEnv): SettingsReader {
  const pipeline = plan.pipelines[index] as Pipeline;
  // compile() keys literal values by the reference's place in the plan; only this module knows that.
  return { pipeline, env, literal: (path) => literalSecrets[`/pipelines/${index}${path}`], named: (name) => ({ name, pipeline: pipeline.name }) };
}

/** The spec's servers, primary first, with one login (the failover list shares the host's). */
function resolveSourceServers({ pipeline: { source }, env, literal, named }: SettingsReader): MysqlEndpoint[] {
  const host = resolveSetting(source.host, named("source host"), env);
  const portText = resolveSetting(source.port, named("source port"), env);
  const user = resolveSecret(source.user, named("source user"), literal("/source/user"), env) ?? "";
  const password = resolveSecret(source.password, named("source password"), literal("/source/password"), env);
  // A secret's variable named where the host or port goes: said so, and its value never echoed.
  for (const [name, setting, value] of [["source host", source.host, host], ["source port", source.port, portText]] as const) {
    if (password && value === password) throw settingError(named(name), setting, "resolved to the source password", "is it the right variable? The host and port take the server's address");
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    // A port's text is shown when it looks like one; anything else may be a secret by mistake.
    const shown = /^[\d\s+-]{0,12}$/.test(portText) ? `"${portText}"` : "a value";
    throw settingError(named("source port"), source.port, `resolved to ${shown}, which is not a port number`, "set it to a number between 1 and 65535");
  }
  return [{ host, port }, ...(source.failover ?? [])].map((server) => mysqlEndpoint(source, { ...server, user, password }));
}

/** A setting that resolved to a value it cannot take, named and located in the spec. */
function settingError(named: { name: string; pipeline: string }, setting: Pipeline["source"]["port"] | Pipeline["source"]["host"], problem: string, hint: string): RuntimeError {
  const origin = typeof setting === "object" && setting !== null && "origin" in setting ? setting.origin : undefined;
  return new RuntimeError("config", `${settingName({ ...named, origin })} ${problem}`, { hint, ...(origin ? { location: origin } : {}) });
}

function resolveKafka({ pipeline: { destination }, env, literal, named }: SettingsReader): KafkaConfig {
  const auth = destination.auth;
  const sasl =
    auth.mechanism === "none"
      ? null
      : {
          mechanism: auth.mechanism,
          username: resolveSecret(auth.username, named("Kafka username"), literal("/destination/auth/username"), env) ?? "",
          password: resolveSecret(auth.password, named("Kafka password"), literal("/destination/auth/password"), env) ?? "",
        };
  return kafkaConfig(destination, sasl);
}
