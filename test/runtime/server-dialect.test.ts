// Every statement site asks server-dialect.ts which statement a server has. On recorded answers
// of MySQL 5.7, 8.0, 8.4, 9.x and MariaDB: the write position, the replica list, the binlog
// files and the privilege check each send only statements that server has, and read its columns.
import { describe, expect, it } from "vitest";
import { checkPrivileges, parseGrantLine } from "../../src/precheck/privileges.js";
import { masterPosition } from "../../src/runtime/snapshot/binlog-position.js";
import { binlogFiles } from "../../src/runtime/source/server-checks.js";
import { replicaRows, serverDialect } from "../../src/runtime/source/server-dialect.js";
import { facts, mysql8, pipeline } from "../precheck/fixtures.js";
import { recordedServerNames, recordedServers } from "./server-answers.js";

describe("server dialect", () => {
  it.each([
    ["5.7.44-log", "SHOW MASTER STATUS", "SHOW SLAVE HOSTS", "REPLICATION CLIENT"],
    ["8.0.21", "SHOW MASTER STATUS", "SHOW SLAVE HOSTS", "REPLICATION CLIENT"],
    ["8.0.36-28", "SHOW MASTER STATUS", "SHOW REPLICAS", "REPLICATION CLIENT"],
    ["8.2.0", "SHOW BINARY LOG STATUS", "SHOW REPLICAS", "REPLICATION CLIENT"],
    ["8.4.3", "SHOW BINARY LOG STATUS", "SHOW REPLICAS", "REPLICATION CLIENT"],
    ["9.1.0-commercial", "SHOW BINARY LOG STATUS", "SHOW REPLICAS", "REPLICATION CLIENT"],
    ["10.4.34-MariaDB", "SHOW MASTER STATUS", "SHOW SLAVE HOSTS", "REPLICATION CLIENT"],
    ["10.11.19-MariaDB-0+deb12u1-log", "SHOW MASTER STATUS", "SHOW SLAVE HOSTS", "BINLOG MONITOR"],
    ["11.4.2-MariaDB", "SHOW MASTER STATUS", "SHOW SLAVE HOSTS", "BINLOG MONITOR"],
  ])("%s: %s, %s, %s", (version, binlogStatus, listReplicas, monitorPrivilege) => {
    expect(serverDialect(version)).toMatchObject({ binlogStatus, listReplicas, monitorPrivilege, listBinlogs: "SHOW BINARY LOGS", replicationPrivilege: "REPLICATION SLAVE" });
  });

  it("takes an unreadable version for a new MySQL", () => {
    expect(serverDialect("").binlogStatus).toBe("SHOW BINARY LOG STATUS");
  });

  it.each(recordedServerNames)("%s: the write position comes from the statement the server has", async (name) => {
    const server = recordedServers[name]();
    const point = await masterPosition(server.query);
    expect(point.offset).toBeGreaterThan(4);
    expect(server.sent).toEqual(["SELECT @@version AS version", serverDialect(server.version).binlogStatus]);
    // With the dialect known, nothing but the status statement is sent.
    const again = recordedServers[name]();
    expect(await masterPosition(again.query, serverDialect(again.version))).toEqual(point);
    expect(again.sent).toHaveLength(1);
  });

  it.each(recordedServerNames)("%s: connected replicas and binlog files are read from its columns", async (name) => {
    const server = recordedServers[name]();
    const dialect = serverDialect(server.version);
    const [replica] = replicaRows(await server.query(dialect.listReplicas));
    expect(replica?.serverId).toBeGreaterThan(0);
    expect(replica?.host).not.toBe("");
    expect(replica?.port).toBe(3306);
    const files = binlogFiles(await server.query(dialect.listBinlogs));
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => /\.\d{6}$/.test(f.name) && f.size > 0)).toBe(true);
  });

  it("refuses a server without binary logging, whatever its statement", async () => {
    await expect(masterPosition(async () => [], serverDialect("8.4.3"))).rejects.toThrow(/binary logging is off/);
  });
});

describe("privileges across releases", () => {
  // SHOW GRANTS prints the same privilege names on MySQL 8.0, 8.4 and 9.x.
  const mysqlGrants = ["GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT, SHOW VIEW ON *.* TO `dts`@`%`"];

  it.each(["8.0.36", "8.4.3", "9.1.0"])("MySQL %s: REPLICATION SLAVE and REPLICATION CLIENT pass", (version) => {
    const result = checkPrivileges({ ...mysql8({ version }), version, grants: { ok: true, value: mysqlGrants } }, pipeline());
    expect(result.status).toBe("pass");
    expect(result.reason).toContain("REPLICATION SLAVE, REPLICATION CLIENT");
  });

  it("MySQL 9.x without REPLICATION CLIENT gets the GRANT with MySQL's name", () => {
    const grants = ["GRANT SELECT, REPLICATION SLAVE, SHOW VIEW ON *.* TO `dts`@`%`"];
    const result = checkPrivileges({ ...mysql8({ version: "9.1.0" }), version: "9.1.0", grants: { ok: true, value: grants } }, pipeline());
    expect(result.fix).toContain("GRANT REPLICATION CLIENT ON *.* TO 'dts'@'%';");
  });

  it("MariaDB before 10.5.2 is asked for REPLICATION CLIENT, later ones for BINLOG MONITOR", () => {
    const grants = ["GRANT SELECT, REPLICATION SLAVE, SHOW VIEW ON *.* TO `dts`@`%`"];
    const old = checkPrivileges(facts({ version: "10.4.34-MariaDB", grants: { ok: true, value: grants } }), pipeline());
    expect(old.fix).toContain("GRANT REPLICATION CLIENT ON *.*");
    const current = checkPrivileges(facts({ grants: { ok: true, value: grants } }), pipeline());
    expect(current.fix).toContain("GRANT BINLOG MONITOR ON *.*");
  });

  it("counts MariaDB's REPLICATION REPLICA alias as REPLICATION SLAVE", () => {
    const grant = parseGrantLine("GRANT REPLICATION REPLICA, BINLOG MONITOR ON *.* TO `dts`@`%`");
    expect(grant && "privileges" in grant ? [...grant.privileges] : []).toEqual(["REPLICATION SLAVE", "BINLOG MONITOR"]);
  });
});
