// `destination kafka { ... }` → KafkaDestination.
import type { Attribute, Block, Span } from "../ast.js";
import type { KafkaAuth, KafkaDestination, KafkaTls } from "../../generated/plan.js";
import { Body } from "./body.js";
import { origin, type DecodeContext } from "./context.js";
import { limits } from "./limits.js";
import { urlWithoutPassword } from "../secrets/url-password.js";

const shape = {
  owner: "the destination block",
  attributes: ["brokers", "client_id", "topic", "ddl_topic", "tls", "schema_registry", "schema_registry_password", "create_topics", "compression"],
  blocks: { auth: "one", create_topics: "one" },
} as const;

const topicPattern = /^[A-Za-z0-9._-]{1,249}$/;
const brokerPattern = /^[^\s:]+:[0-9]{1,5}$/;

export interface DecodedDestination {
  destination: KafkaDestination;
  topicSpan: Span;
  ddlTopicSpan: Span;
  /** The ddl_topic attribute's name, when it was written. */
  ddlTopicKey: Span | undefined;
  schemaRegistryKey: Span | undefined;
}

export function checkTopicName(ctx: DecodeContext, name: string, span: Span): boolean {
  if (topicPattern.test(name) && name !== "." && name !== "..") return true;
  ctx.bag.report("badTopicName", span, `"${name}" is not a valid Kafka topic name`, "use 1 to 249 letters, digits, '.', '_' or '-'");
  return false;
}

function decodeAuth(ctx: DecodeContext, block: Block | undefined): KafkaAuth {
  if (!block) return { mechanism: "none" };
  const body = new Body(block.items, { owner: "the auth block", attributes: ["mechanism", "username", "password"] }, ctx.bag);
  const mechanismAttr = body.attribute("mechanism");
  if (!mechanismAttr) {
    ctx.missing(block.type.span, "mechanism", "the auth block", "mechanism = scram-sha-512");
    return { mechanism: "none" };
  }
  const mechanism = ctx.values.word(mechanismAttr, ["none", "scram-sha-256", "scram-sha-512", "plain"] as const);
  if (mechanism === undefined || mechanism === "none") return { mechanism: "none" };
  const usernameAttr = body.attribute("username");
  const passwordAttr = body.attribute("password");
  if (!usernameAttr) ctx.missing(block.type.span, "username", `${mechanism} auth`, 'username = env("KAFKA_USER")');
  if (!passwordAttr) ctx.missing(block.type.span, "password", `${mechanism} auth`, 'password = env("KAFKA_PASSWORD")');
  const username = usernameAttr ? ctx.stringOrSecret(usernameAttr) : undefined;
  const password = passwordAttr ? ctx.secret(passwordAttr, "/destination/auth/password") : undefined;
  return { mechanism, username: username ?? "", password: password ?? { env: "UNSET" } };
}

function decodeTls(ctx: DecodeContext, body: Body): KafkaTls {
  const attr = body.attribute("tls");
  if (!attr) return { enabled: false };
  const value = attr.value;
  if (value.kind === "call" && value.args !== null) {
    const ref = ctx.values.stringArgument(value, "tls", { verify: 1 });
    return ref ? { enabled: true, caFile: ref.arg, verifyHostname: true } : { enabled: false };
  }
  const mode = ctx.values.word(attr, ["off", "on"] as const);
  return mode === "on" ? { enabled: true, verifyHostname: true } : { enabled: false };
}

function decodeCreateTopics(ctx: DecodeContext, body: Body): KafkaDestination["createTopics"] {
  const off = { enabled: false, partitions: 1, replicationFactor: 1 };
  const attr = body.attribute("create_topics");
  if (attr) return { ...off, enabled: ctx.values.boolean(attr) ?? false };
  const block = body.block("create_topics");
  if (!block) return off;
  const inner = new Body(block.items, { owner: "the create_topics block", attributes: ["partitions", "replication_factor"] }, ctx.bag);
  const partitions = inner.attribute("partitions");
  const replication = inner.attribute("replication_factor");
  return {
    enabled: true,
    partitions: (partitions ? ctx.values.integer(partitions, limits.partitions) : undefined) ?? 1,
    replicationFactor: (replication ? ctx.values.integer(replication, limits.replicationFactor) : undefined) ?? 1,
  };
}

function decodeBrokers(ctx: DecodeContext, body: Body, block: Block): string[] {
  const attr = body.attribute("brokers");
  if (!attr) {
    ctx.missing(block.type.span, "brokers", "the destination block", 'brokers = ["kafka-1:9092"]');
    return ["localhost:9092"];
  }
  const list = ctx.values.stringList(attr, 1);
  if (!list) return ["localhost:9092"];
  list.items.forEach((broker, i) => {
    const port = Number(broker.split(":").pop());
    if (!brokerPattern.test(broker) || port < 1 || port > 65535) {
      ctx.bag.report("badBroker", list.spans[i] as Span, `"${broker}" is not a broker address`, 'write host:port, e.g. "kafka-1:9092"');
    }
  });
  return list.items.length > 0 ? list.items : ["localhost:9092"];
}

/** The attribute's topic name when it is a string and a valid name, else undefined. */
function topicName(ctx: DecodeContext, attr: Attribute): string | undefined {
  const name = ctx.values.string(attr);
  return name !== undefined && checkTopicName(ctx, name, attr.value.span) ? name : undefined;
}

/** Where a schema registry password goes in the plan (its value never does), and the literal secrets map. */
const REGISTRY_PASSWORD = "/destination/schemaRegistry/password";

/**
 * The registry's URL, never with a password in the plan: one written in the URL is a literal
 * secret (warned about, an error under --strict) kept out of the plan like any other; the
 * usual way is `schema_registry_password = env("NAME")` beside a URL that names the user.
 */
function decodeSchemaRegistry(ctx: DecodeContext, attr: Attribute | undefined, passwordAttr: Attribute | undefined): KafkaDestination["schemaRegistry"] {
  if (!attr) {
    if (passwordAttr) ctx.bag.report("notApplicable", passwordAttr.name.span, "schema_registry_password needs schema_registry, the URL it logs in to");
    return null;
  }
  const url = ctx.values.string(attr);
  if (url === undefined) return null;
  let parsed: URL | null = null;
  try {
    parsed = /^https?:\/\/[^\s/]+/.test(url) ? new URL(url) : null;
  } catch {
    parsed = null;
  }
  if (!parsed) {
    ctx.bag.report("badUrl", attr.value.span, `"${urlWithoutPassword(url)}" is not an http(s) URL`, 'write e.g. "http://schema-registry:8081"');
    return null;
  }
  if (parsed.password) {
    ctx.bag.report("literalSecret", attr.value.span, "the schema registry password is written in the spec, in the URL; secrets in git leak", 'name only the user in the URL and set schema_registry_password = env("NAME") or file("path")');
    let password: string;
    try {
      password = decodeURIComponent(parsed.password);
    } catch {
      ctx.bag.report("badUrl", attr.value.span, "the password in the schema registry URL holds a % that starts no percent-encoding", 'write % as %25 in the URL, or better, set schema_registry_password = env("NAME")');
      return null;
    }
    ctx.literalSecrets.push({ pointer: REGISTRY_PASSWORD, value: password });
    const withoutPassword = urlWithoutPassword(url);
    return { url: withoutPassword, password: { literal: "redacted", origin: origin(attr.value.span) } };
  }
  if (!passwordAttr) return { url };
  if (!parsed.username) ctx.bag.report("badUrl", attr.value.span, "schema_registry_password is set, but the URL names no user to log in as", 'write the user in the URL, e.g. "https://user@registry:8081"');
  const password = ctx.secret(passwordAttr, REGISTRY_PASSWORD);
  return password ? { url, password } : { url };
}


export function decodeDestination(ctx: DecodeContext, block: Block, pipeline: string): DecodedDestination {
  const kind = block.labels[0];
  if (block.labels.length !== 1 || kind?.kind !== "call" || kind.args !== null || kind.name.name !== "kafka") {
    ctx.bag.report("badLabel", kind?.span ?? block.type.span, "a destination block names its system: destination kafka { ... }");
  }
  const body = new Body(block.items, shape, ctx.bag);
  const v = ctx.values;
  const brokers = decodeBrokers(ctx, body, block);

  const topicAttr = body.attribute("topic");
  if (!topicAttr) ctx.missing(block.type.span, "topic", "the destination block", 'topic = "app.changes"');
  const topic = (topicAttr ? topicName(ctx, topicAttr) : undefined) ?? "unset";
  const ddlAttr = body.attribute("ddl_topic");
  const ddlTopic = (ddlAttr ? topicName(ctx, ddlAttr) : undefined) ?? topic;

  const clientAttr = body.attribute("client_id");
  const clientId = (clientAttr ? v.string(clientAttr) : undefined) || `dts-${pipeline}`;
  const registryAttr = body.attribute("schema_registry");
  const schemaRegistry = decodeSchemaRegistry(ctx, registryAttr, body.attribute("schema_registry_password"));
  const compressionAttr = body.attribute("compression");
  const compression = (compressionAttr ? v.word(compressionAttr, ["none", "gzip", "snappy", "lz4", "zstd"] as const) : undefined) ?? "none";

  const destination: KafkaDestination = {
    brokers: brokers as [string, ...string[]],
    clientId,
    topic,
    ddlTopic,
    auth: decodeAuth(ctx, body.block("auth")),
    tls: decodeTls(ctx, body),
    schemaRegistry,
    createTopics: decodeCreateTopics(ctx, body),
    compression,
  };
  return { destination, topicSpan: topicAttr?.value.span ?? block.type.span, ddlTopicSpan: ddlAttr?.value.span ?? topicAttr?.value.span ?? block.type.span, ddlTopicKey: ddlAttr?.name.span, schemaRegistryKey: registryAttr?.name.span };
}
