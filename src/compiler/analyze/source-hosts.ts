// `host` in a source block: one server (a string, or env()/file()), or the servers of one
// replication topology in order, primary first: host = ["db-1", "db-2:3307"]. The first entry
// becomes the plan's host and port; the rest its failover list. An entry's own port wins over
// the block's `port`, which is the default for entries without one. A single string is read as
// one entry ("db-1:3307").
import { isIPv6 } from "node:net";
import type { Attribute, Span } from "../ast.js";
import type { MysqlSource, SourceAddress } from "../../generated/plan.js";
import type { DecodeContext } from "./context.js";

export interface DecodedHosts {
  host: MysqlSource["host"];
  /** The first entry's own port, when it wrote one. */
  port: number | undefined;
  failover: SourceAddress[];
}

const hostName = /^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/;

/** "db-1", "db-1:3307", "[::1]:3307" → host and optional port; null when it is none of those. */
export function parseHostEntry(text: string): { host: string; port: number | undefined } | null {
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(text.trim());
  const host = match?.[1] ?? "";
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!hostName.test(host) || (port !== undefined && (port < 1 || port > 65535))) return null;
  return { host: host.startsWith("[") ? host.slice(1, -1) : host, port };
}

/** Decodes a string `host` as one list entry: "db-1:3307" is host db-1 on port 3307. */
export function decodeSingleHost(ctx: DecodeContext, text: string, span: Span): DecodedHosts | undefined {
  // A bare IPv6 address ("::1"): its colons are no port separator.
  if (isIPv6(text)) return { host: text, port: undefined, failover: [] };
  const entry = parseHostEntry(text);
  if (!entry) {
    ctx.bag.report("badSourceHost", span, `"${text}" is not a host name or host:port`, 'write e.g. "db.example.com" or "db.example.com:3307"');
    return undefined;
  }
  return { ...entry, failover: [] };
}

/** Decodes a list-valued `host`; `defaultPort` is the block's port when it is a number. */
export function decodeHostList(ctx: DecodeContext, attr: Attribute, defaultPort: number | undefined): DecodedHosts | undefined {
  const list = ctx.values.stringList(attr, 1);
  if (!list) return undefined;
  const addresses: { host: string; port: number | undefined; span: Span }[] = [];
  const seen = new Set<string>();
  list.items.forEach((text, i) => {
    const span = list.spans[i] as Span;
    const entry = parseHostEntry(text);
    if (!entry) return ctx.bag.report("badSourceHost", span, `"${text}" is not a host name or host:port`, 'write e.g. "db-2.example.com" or "db-2.example.com:3307"');
    const key = `${entry.host}:${entry.port ?? defaultPort ?? "?"}`;
    if (seen.has(key)) return ctx.bag.report("duplicateKey", span, `"${text}" is listed twice in host`, "keep one of the two");
    seen.add(key);
    addresses.push({ ...entry, span });
  });
  const [first, ...rest] = addresses;
  if (!first) return undefined;
  const failover: SourceAddress[] = [];
  for (const other of rest) {
    const port = other.port ?? defaultPort;
    if (port === undefined) ctx.bag.report("badSourceHost", other.span, `"${other.host}" needs its port: the block's port is read from the environment`, `write "${other.host}:3306"`);
    else failover.push({ host: other.host, port });
  }
  return { host: first.host, port: first.port, failover };
}
