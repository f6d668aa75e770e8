// Connecting to the source for the precheck, with failures explained: which part of the
// connection failed (network, TLS, account, authentication plugin) and what to change.
import type mysql from "mysql2/promise";
import type { Pipeline } from "../generated/plan.js";
import { RuntimeError } from "../runtime/errors.js";
import type { MysqlEndpoint } from "../runtime/source/mysql-connection.js";
import { connectControl } from "../runtime/source/server-checks.js";
import { fail, pass, unreachable, warn, type CheckResult } from "./check-result.js";
import { failoverProblems, type AnsweringServer } from "./failover-servers.js";

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

export interface ConnectFailure {
  reason: string;
  fix: string;
  /** Nothing answered at the address (refused, timed out, no route, unknown host): a server that may yet come up. */
  unreachable: boolean;
}

/** Reason and fix for a failed connection; the messages never contain the password. */
export function explainConnectError(error: DriverError, address: string, user: string): ConnectFailure {
  const network = explainNetworkError(error, address);
  if (network) return { ...network, unreachable: true };
  return { ...explainRefusal(error, address, user), unreachable: false };
}

/** The failures where no server answered; null when one did. */
function explainNetworkError(error: DriverError, address: string): { reason: string; fix: string } | null {
  if (error.code === "ECONNREFUSED") return { reason: `nothing listens on ${address} (connection refused)`, fix: "check the host and port in the source block and that the server is running" };
  if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") return { reason: `the host of ${address} cannot be resolved`, fix: "check the host name in the source block and DNS" };
  if (error.code === "ETIMEDOUT") return { reason: `connecting to ${address} timed out`, fix: "check firewalls and security groups between this machine and the server" };
  if (error.code === "EHOSTUNREACH" || error.code === "ENETUNREACH") return { reason: `there is no route to ${address}`, fix: "check the host in the source block and the network between this machine and the server" };
  return null;
}

function explainRefusal(error: DriverError, address: string, user: string): { reason: string; fix: string } {
  const message = error.message ?? String(error);
  const plugin = /authentication (?:using|plugin)[^a-z_]*([a-z_0-9]+)/i.exec(message)?.[1];
  if (error.errno === 1045) {
    return { reason: `the server at ${address} refused user "${user}": ${message}`, fix: "check the user and password in the source block (and that the account exists for this client host)" };
  }
  if (error.errno === 1130) {
    return { reason: `the server at ${address} does not accept connections for "${user}" from this host: ${message}`, fix: `create the account for this host, e.g. CREATE USER '${user}'@'%' ...` };
  }
  if (error.errno === 1251 || error.code === "AUTH_SWITCH_PLUGIN_ERROR" || /unknown plugin|auth.*plugin/i.test(message)) {
    const which = plugin ? ` (${plugin})` : "";
    return {
      reason: `the account "${user}" uses an authentication plugin${which} this client cannot speak: ${message}`,
      fix: plugin && /ed25519|gssapi|unix_socket|pam/i.test(plugin)
        ? `give the account a password plugin: ALTER USER '${user}'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('...') (MariaDB)`
        : `use mysql_native_password or caching_sha2_password: ALTER USER '${user}'@'%' IDENTIFIED WITH caching_sha2_password BY '...'`,
    };
  }
  if (/RSA public key|caching_sha2|sha256_password/i.test(message)) {
    return { reason: `caching_sha2_password authentication of "${user}" failed: ${message}`, fix: "enable TLS for the source (tls = required), or make sure the server sends its RSA public key" };
  }
  if (error.code === "HANDSHAKE_NO_SSL_SUPPORT" || /ssl|tls|certificate/i.test(message)) {
    return { reason: `TLS to ${address} failed: ${message}`, fix: "check the source's tls setting and CA file against the server's TLS setup" };
  }
  if (error.errno === 1040) return { reason: `the server at ${address} has too many connections`, fix: "raise max_connections or close idle clients" };
  return { reason: `cannot connect to ${address}: ${message}`, fix: "check the source block's host, port, user and password" };
}

export interface SourceConnection {
  result: CheckResult;
  conn: mysql.Connection | null;
}

/**
 * Connects to the first server of the source that answers, primary first, and checks that the
 * other servers answer too: a failover server that cannot be reached is a warning, since the
 * pipeline runs without it until it needs it.
 */
export async function connectSourceServers(pipeline: Pipeline, servers: readonly MysqlEndpoint[]): Promise<SourceConnection> {
  const attempts: SourceConnection[] = [];
  for (const server of servers) attempts.push(await connectSource(pipeline, server));
  // A server that answered but refused (login, TLS) is a setting to fix, whichever server it is.
  const refused = attempts.find((a) => a.result.status === "fail" && a.result.unreachable !== true);
  const chosen = refused ? undefined : attempts.find((a) => a.conn !== null);
  const others = chosen ? answering(attempts, servers, chosen) : [];
  const problems = await failoverProblems(others, pipeline);
  for (const other of attempts) if (other !== chosen) await other.conn?.end().catch(() => undefined);
  if (servers.length < 2 || refused) return refused ?? (attempts[0] as SourceConnection);
  if (!chosen) return { conn: null, result: { ...(attempts[0] as SourceConnection).result, reason: attempts.map((a) => a.result.reason).join("; ") } };
  const down = attempts.filter((a) => a.conn === null).map((a) => a.result.reason);
  if (down.length === 0 && problems.length === 0) return { conn: chosen.conn, result: pass("source-connection", `${chosen.result.reason}; every failover server answers`) };
  const reasons = [...down, ...problems.map((p) => `failover server ${p.address}: ${p.reason}`)];
  const fixes = [
    ...(down.length > 0 ? ["start the servers that cannot be reached, or remove them from the source's host list; the pipeline moves only to servers that answer"] : []),
    ...problems.map((p) => `on ${p.address}: ${p.fix}`),
  ];
  return { conn: chosen.conn, result: warn("source-connection", `${chosen.result.reason}, but ${reasons.join("; ")}`, fixes.join("; ")) };
}

/** The servers other than the chosen one that took the login, for their own settings' checks. */
function answering(attempts: readonly SourceConnection[], servers: readonly MysqlEndpoint[], chosen: SourceConnection): AnsweringServer[] {
  return attempts.flatMap((a, i) => (a !== chosen && a.conn ? [{ address: (servers[i] as MysqlEndpoint).address, conn: a.conn }] : []));
}

export async function connectSource(pipeline: Pipeline, endpoint: MysqlEndpoint): Promise<SourceConnection> {
  // The account name is shown (the server echoes it in its own errors); the password never is.
  const user = endpoint.options.user ?? "";
  try {
    const conn = await connectControl(endpoint.options, endpoint.address);
    const tls = pipeline.source.tls.mode === "off" ? "" : ` over TLS (${pipeline.source.tls.mode})`;
    return { conn, result: pass("source-connection", `connected to ${endpoint.address} as "${user}"${tls}`) };
  } catch (error) {
    const cause = (error instanceof RuntimeError ? error.cause : error) as DriverError;
    const failure = explainConnectError(cause ?? {}, endpoint.address, user);
    return { conn: null, result: (failure.unreachable ? unreachable : fail)("source-connection", failure.reason, failure.fix) };
  }
}
