// mysql2 connection settings for a plan's source, from the login src/runtime/connections.ts
// resolved, and TLS. mysql2 negotiates caching_sha2_password (MySQL 8) and
// mysql_native_password itself, fetching the server's RSA key over a plain connection.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "mysql2";
import type { MysqlSource } from "../../generated/plan.js";
import { RuntimeError } from "../errors.js";

export interface MysqlEndpoint {
  options: ConnectionOptions;
  /** host:port for messages; never includes credentials. */
  address: string;
}

/** Host, port and credentials with every env() and secret already read. */
export interface MysqlLogin {
  host: string;
  port: number;
  user: string;
  password: string | null;
}

export function mysqlEndpoint(source: MysqlSource, login: MysqlLogin): MysqlEndpoint {
  const { host, port, user, password } = login;
  const options: ConnectionOptions = {
    host,
    port,
    user,
    ...(password === null ? {} : { password }),
    // Temporal values stay text (microseconds survive); TIMESTAMP text is rendered in UTC.
    dateStrings: true,
    timezone: "Z",
    // JSON documents as the server wrote them, not parsed and re-serialised.
    jsonStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    charset: "utf8mb4",
    connectTimeout: 10_000,
  };
  if (source.tls.mode !== "off") {
    if (source.tls.mode === "verify") {
      if (!source.tls.caFile) throw new RuntimeError("config", "source tls: mode verify needs a CA file", { hint: "write tls = verify(\"ca.pem\") in the source block, naming the CA file" });
      let ca: string;
      try {
        ca = readFileSync(source.tls.caFile, "utf8");
      } catch (error) {
        throw new RuntimeError("config", `source TLS CA file ${source.tls.caFile} cannot be read`, { cause: error, hint: "check the file named by tls = verify(...) in the spec: it must exist and be readable" });
      }
      // verifyIdentity: the certificate must name the host, or any certificate of the CA would do.
      options.ssl = { ca, rejectUnauthorized: true, verifyIdentity: true };
    } else {
      options.ssl = { rejectUnauthorized: false };
    }
  }
  return { options, address: `${host}:${port}` };
}
