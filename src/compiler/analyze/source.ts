// `source mysql { ... }` → MysqlSource.
import type { Block, Span } from "../ast.js";
import type { MysqlSource, MysqlTls, StartPosition } from "../../generated/plan.js";
import { didYouMean } from "../diagnostics.js";
import { Body } from "./body.js";
import { origin, type DecodeContext } from "./context.js";
import { decodeHeartbeat } from "./heartbeat.js";
import { decodeHostList, decodeSingleHost, type DecodedHosts } from "./source-hosts.js";
import { limits } from "./limits.js";

const sourceKinds = ["mysql", "mariadb"] as const;

const shape = {
  owner: "the source block",
  attributes: ["host", "port", "user", "password", "server_id", "tls", "timezone", "start_from"],
  blocks: { heartbeat: "one" },
} as const;

export interface DecodedSource {
  source: MysqlSource;
  /** Whether start_from was written; an explicit position conflicts with initial data sync. */
  explicitStart: { span: Span; kind: StartPosition["kind"] } | undefined;
  serverIdSpan: Span;
  serverIdExplicit: boolean;
}

/** Deterministic per pipeline, so two runs of one spec present the same replica id. */
function defaultServerId(pipeline: string): number {
  let hash = 0x811c9dc5;
  for (const ch of pipeline) hash = Math.imul(hash ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return 100_000 + (hash % 1_000_000_000);
}

function isTimezone(text: string): boolean {
  if (text === "SYSTEM" || /^[+-](?:0\d|1[0-4]):[0-5]\d$/.test(text)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

function decodeTls(ctx: DecodeContext, body: Body): MysqlTls {
  const attr = body.attribute("tls");
  if (!attr) return { mode: "off" };
  const value = attr.value;
  if (value.kind === "call" && value.args !== null) {
    const ref = ctx.values.stringArgument(value, "tls", { verify: 1 });
    return ref ? { mode: "verify", caFile: ref.arg } : { mode: "off" };
  }
  const mode = ctx.values.word(attr, ["off", "required", "verify"] as const);
  if (mode === "verify") {
    ctx.bag.report("badArguments", value.span, "tls = verify needs the CA file", 'write tls = verify("path/to/ca.pem")');
    return { mode: "off" };
  }
  return { mode: mode ?? "off" };
}

function decodeStart(ctx: DecodeContext, body: Body): StartPosition | undefined {
  const attr = body.attribute("start_from");
  if (!attr) return undefined;
  const value = attr.value;
  const words = ["initial_sync", "earliest", "latest"] as const;
  if (value.kind !== "call" || value.args === null) {
    const word = ctx.values.word(attr, words);
    if (word === undefined) return undefined;
    return word === "initial_sync" ? { kind: "after-initial-sync" } : { kind: word };
  }
  const fn = value.name.name;
  const args = ctx.values.call(value, "start_from", { position: 2, gtid: 1, timestamp: 1 });
  if (!args) return undefined;
  const [first, second] = args;
  if (fn === "position") {
    if (first?.kind !== "string" || first.value === "") return ctx.values.wrongType(first ?? value, "the binlog file", "a string", 'e.g. position("mysql-bin.000042", 4)');
    const position = second ? ctx.values.integerValue(second, "the binlog position", limits.binlogPosition) : undefined;
    return position === undefined ? undefined : { kind: "position", file: first.value, position };
  }
  if (first?.kind !== "string") return ctx.values.wrongType(first ?? value, `${fn}()'s argument`, "a string");
  if (fn === "gtid") {
    if (!/^\s*[0-9a-fA-F-]+(?::[0-9]+(?:-[0-9]+)?)+(?:\s*,\s*[0-9a-fA-F-]+(?::[0-9]+(?:-[0-9]+)?)+)*\s*$/.test(first.value) && !/^\d+-\d+-\d+(,\d+-\d+-\d+)*$/.test(first.value)) {
      ctx.bag.report("badArguments", first.span, `"${first.value}" is not a GTID set`, 'MySQL: "uuid:1-100"; MariaDB: "0-1-100"');
      return undefined;
    }
    return { kind: "gtid", gtidSet: first.value };
  }
  const millis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(first.value) ? Date.parse(first.value) : Number.NaN;
  if (Number.isNaN(millis)) {
    ctx.bag.report("badTimestamp", first.span, `"${first.value}" is not a timestamp with a time zone`, 'write ISO 8601 with Z or an offset, e.g. "2024-05-01T00:00:00Z"');
    return undefined;
  }
  return { kind: "timestamp", epochMillis: millis };
}

function decodeHosts(ctx: DecodeContext, body: Body, block: Block, port: MysqlSource["port"]): DecodedHosts {
  const single: DecodedHosts = { host: "localhost", port: undefined, failover: [] };
  const attr = body.attribute("host");
  if (!attr) {
    ctx.missing(block.type.span, "host", "the source block", 'host = "db.example.com"');
    return single;
  }
  if (attr.value.kind === "list") return decodeHostList(ctx, attr, typeof port === "number" ? port : undefined) ?? single;
  const value = ctx.stringOrSecret(attr);
  if (value === undefined) return single;
  if (typeof value === "object" && !("env" in value)) {
    ctx.bag.report("wrongType", attr.value.span, 'host must be a string, env("NAME"), or a list of servers ["db-1", "db-2:3307"]');
    return single;
  }
  if (typeof value === "object") return { ...single, host: value };
  return decodeSingleHost(ctx, value, attr.value.span) ?? single;
}

export function decodeSource(ctx: DecodeContext, block: Block, pipeline: string): DecodedSource {
  const kind = block.labels[0];
  const kindName = kind?.kind === "call" && kind.args === null ? kind.name.name : kind?.kind === "string" ? kind.value : undefined;
  if (!kind || kindName === undefined || !(sourceKinds as readonly string[]).includes(kindName) || block.labels.length > 1) {
    const span = kind?.span ?? block.type.span;
    ctx.bag.report("badLabel", span, "a source block names its database: source mysql { ... } or source mariadb { ... }", kindName ? didYouMean(kindName, sourceKinds) : undefined);
  }
  const body = new Body(block.items, shape, ctx.bag);
  const v = ctx.values;

  const portAttr = body.attribute("port");
  let port: MysqlSource["port"] = 3306;
  if (portAttr) {
    const value = portAttr.value;
    if (value.kind === "call" && value.name.name === "env") {
      const ref = v.stringArgument(value, "port", { env: 1 });
      if (ref) port = { env: ref.arg, origin: origin(value.span) };
    } else port = v.integer(portAttr, limits.port) ?? 3306;
  }

  const { host, port: hostPort, failover } = decodeHosts(ctx, body, block, port);
  if (hostPort !== undefined) port = hostPort;

  const userAttr = body.attribute("user");
  let user: MysqlSource["user"] = "root";
  if (!userAttr) ctx.missing(block.type.span, "user", "the source block", 'user = env("MYSQL_USER")');
  else user = ctx.stringOrSecret(userAttr) ?? user;

  const passwordAttr = body.attribute("password");
  const password = passwordAttr ? (ctx.secret(passwordAttr, "/source/password") ?? null) : null;

  const serverIdAttr = body.attribute("server_id");
  const serverId = (serverIdAttr ? v.integer(serverIdAttr, limits.serverId) : undefined) ?? defaultServerId(pipeline);

  const tzAttr = body.attribute("timezone");
  let timezone = "SYSTEM";
  if (tzAttr) {
    const tz = v.string(tzAttr);
    if (tz !== undefined && !isTimezone(tz)) ctx.bag.report("badTimezone", tzAttr.value.span, `"${tz}" is not a time zone`, 'write an offset like "+08:00", an IANA name like "Asia/Shanghai", or "SYSTEM"');
    else if (tz !== undefined) timezone = tz;
  }

  const start = decodeStart(ctx, body);
  const startAttr = body.attribute("start_from");
  const source: MysqlSource = { host, port, ...(failover.length > 0 ? { failover } : {}), user, password, serverId, tls: decodeTls(ctx, body), timezone, startFrom: start ?? { kind: "after-initial-sync" }, heartbeat: decodeHeartbeat(ctx, body.block("heartbeat")) };
  return {
    source,
    explicitStart: start && startAttr ? { span: startAttr.value.span, kind: start.kind } : undefined,
    serverIdSpan: serverIdAttr?.value.span ?? block.type.span,
    serverIdExplicit: serverIdAttr !== undefined,
  };
}
