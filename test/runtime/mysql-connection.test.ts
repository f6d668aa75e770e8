// TLS settings of the source's connections: `verify` checks the CA and that the certificate
// names the host (mysql2 skips the name unless told), `required` only encrypts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { MysqlSource } from "../../src/generated/plan.js";
import { mysqlEndpoint } from "../../src/runtime/source/mysql-connection.js";

const login = { host: "db.internal", port: 3306, user: "dts", password: null };

describe("mysqlEndpoint", () => {
  it("verifies the host name as well as the CA under tls = verify(...)", () => {
    const caFile = join(mkdtempSync(join(tmpdir(), "dts-ca-")), "ca.pem");
    writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    const { options } = mysqlEndpoint({ tls: { mode: "verify", caFile } } as MysqlSource, login);
    expect(options.ssl).toMatchObject({ rejectUnauthorized: true, verifyIdentity: true });
  });

  it("only encrypts under tls = required", () => {
    const { options } = mysqlEndpoint({ tls: { mode: "required" } } as MysqlSource, login);
    expect(options.ssl).toEqual({ rejectUnauthorized: false });
  });
});
