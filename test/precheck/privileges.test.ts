import { describe, expect, it } from "vitest";
import { checkPrivileges, hasGlobal, hasOnTable, parseGrantLine, parseGrants } from "../../src/precheck/privileges.js";
import { facts, mysql8, pipeline, rule, tableFacts } from "./fixtures.js";

const hash = "*9E2DDC8A29226306621BA463502EF46D6069D005";

describe("SHOW GRANTS parsing", () => {
  it("reads privileges and the target of MariaDB and MySQL grant lines", () => {
    expect(parseGrantLine(`GRANT SELECT, REPLICATION SLAVE ON *.* TO \`dts\`@\`%\` IDENTIFIED BY PASSWORD '${hash}'`)).toEqual({
      privileges: new Set(["SELECT", "REPLICATION SLAVE"]), database: "*", table: "*",
    });
    expect(parseGrantLine("GRANT ALL PRIVILEGES ON `shop`.* TO `dts`@`%`")).toMatchObject({ privileges: new Set(["ALL"]), database: "shop", table: "*" });
    expect(parseGrantLine("GRANT SELECT ON `my``db`.`or.ders` TO 'dts'@'%'")).toMatchObject({ database: "my`db", table: "or.ders" });
  });

  it("ignores column-level privileges and routine grants, and collects roles", () => {
    expect(parseGrantLine("GRANT SELECT (`id`, `total`), INSERT ON `shop`.`orders` TO `dts`@`%`")).toMatchObject({ privileges: new Set(["INSERT"]) });
    expect(parseGrantLine("GRANT EXECUTE ON PROCEDURE `shop`.`p` TO `dts`@`%`")).toBeNull();
    expect(parseGrants(["GRANT `replicator`@`%` TO `dts`@`%`", "GRANT USAGE ON *.* TO `dts`@`%`"]).roles).toEqual(["replicator@%"]);
  });

  it("treats database names in grants as LIKE patterns", () => {
    const parsed = parseGrants(["GRANT SELECT ON `shop\\_%`.* TO `dts`@`%`"]);
    expect(hasOnTable(parsed, "SELECT", "shop_eu", "orders")).toBe(true);
    expect(hasOnTable(parsed, "SELECT", "shopXeu", "orders")).toBe(false);
    expect(hasGlobal(parsed, "SELECT")).toBe(false);
  });
});

describe("privileges check", () => {
  it("passes for the stack's replication user", () => {
    expect(checkPrivileges(facts(), pipeline()).status).toBe("pass");
  });

  it("names each missing privilege with a GRANT that fixes it, never the password hash", () => {
    const result = checkPrivileges(facts({ grants: { ok: true, value: [`GRANT BINLOG MONITOR ON *.* TO \`dts\`@\`%\` IDENTIFIED BY PASSWORD '${hash}'`] } }), pipeline());
    expect(result.status).toBe("fail");
    expect(result.reason).toContain("REPLICATION SLAVE");
    expect(result.reason).toContain("SELECT on shop.orders");
    expect(result.fix).toContain("GRANT REPLICATION SLAVE ON *.* TO 'dts'@'%';");
    expect(result.fix).toContain("GRANT SELECT ON `shop`.* TO 'dts'@'%';");
    expect(JSON.stringify(result)).not.toContain(hash);
  });

  it("asks for REPLICATION CLIENT on MySQL and accepts a table-level SELECT", () => {
    const grants = ["GRANT REPLICATION SLAVE ON *.* TO `dts`@`%`", "GRANT SELECT ON `shop`.`orders` TO `dts`@`%`", "GRANT SHOW VIEW ON *.* TO `dts`@`%`"];
    const result = checkPrivileges({ ...mysql8(), grants: { ok: true, value: grants } }, pipeline());
    expect(result.status).toBe("fail");
    expect(result.reason).toContain("REPLICATION CLIENT");
    expect(result.reason).not.toContain("SELECT on");
  });

  it("only requires SELECT on the selected tables", () => {
    const grants = ["GRANT REPLICATION SLAVE, BINLOG MONITOR, SHOW VIEW ON *.* TO `dts`@`%`", "GRANT SELECT ON `shop`.`orders` TO `dts`@`%`"];
    const tables = [tableFacts("shop", "orders"), tableFacts("shop", "secrets"), tableFacts("hr", "people")];
    const many = facts({ grants: { ok: true, value: grants }, tables: { ok: true, value: tables } });
    expect(checkPrivileges(many, pipeline()).status).toBe("pass");
    const wide = checkPrivileges(many, pipeline({ objects: [rule({ exact: "shop" }, null)] }));
    expect(wide.status).toBe("fail");
    expect(wide.reason).toContain("shop.secrets");
    expect(wide.reason).not.toContain("hr.people");
  });

  it("warns instead of failing when roles may hold the missing privileges", () => {
    const result = checkPrivileges(facts({ grants: { ok: true, value: ["GRANT USAGE ON *.* TO `dts`@`%`", "GRANT `replicator` TO `dts`@`%`"] } }), pipeline());
    expect(result.status).toBe("warn");
    expect(result.reason).toContain("replicator");
  });

  it("warns about a missing SHOW VIEW", () => {
    const result = checkPrivileges(facts({ grants: { ok: true, value: ["GRANT SELECT, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dts`@`%`"] } }), pipeline());
    expect(result).toMatchObject({ status: "warn" });
    expect(result.fix).toContain("SHOW VIEW");
  });
});

describe("privileges for the heartbeat table", () => {
  const withTable = pipeline({ source: { ...pipeline().source, heartbeat: { periodSeconds: 10, table: { database: "ops", table: "dts_heartbeat", intervalSeconds: 10 } } } });
  const grants = (...lines: string[]) => ({ ok: true as const, value: ["GRANT SELECT, REPLICATION SLAVE, BINLOG MONITOR, SHOW VIEW ON *.* TO `dts`@`%`", ...lines] });

  it("asks for CREATE, INSERT and UPDATE while the table does not exist, with the GRANT that fixes it", () => {
    const result = checkPrivileges(facts({ databases: { ok: true, value: ["shop", "ops"] }, grants: grants() }), withTable);
    expect(result.status).toBe("fail");
    expect(result.reason).toBe("dts@% lacks CREATE, INSERT, UPDATE on the heartbeat table ops.dts_heartbeat (it does not exist yet, so the pipeline creates it)");
    expect(result.fix).toContain("GRANT CREATE, INSERT, UPDATE ON `ops`.`dts_heartbeat` TO 'dts'@'%';");
  });

  it("needs only INSERT and UPDATE on a table that exists, granted on the table or its database", () => {
    const tables = { ok: true as const, value: [tableFacts("shop", "orders"), tableFacts("ops", "dts_heartbeat")] };
    const databases = { ok: true as const, value: ["shop", "ops"] };
    expect(checkPrivileges(facts({ tables, databases, grants: grants("GRANT INSERT, UPDATE ON `ops`.`dts_heartbeat` TO `dts`@`%`") }), withTable).status).toBe("pass");
    expect(checkPrivileges(facts({ tables, databases, grants: grants("GRANT INSERT, UPDATE ON `ops`.* TO `dts`@`%`") }), withTable).status).toBe("pass");
    expect(checkPrivileges(facts({ tables, databases, grants: grants("GRANT INSERT ON `ops`.* TO `dts`@`%`") }), withTable).reason).toBe("dts@% lacks UPDATE on the heartbeat table ops.dts_heartbeat");
  });

  it("says when the heartbeat table's database is missing, which the pipeline does not create", () => {
    const result = checkPrivileges(facts({ databases: { ok: true, value: ["shop"] }, grants: grants("GRANT ALL ON `ops`.* TO `dts`@`%`") }), withTable);
    expect(result.reason).toBe("the heartbeat table's database ops does not exist (or the account cannot see it)");
    expect(result.fix).toContain("CREATE DATABASE IF NOT EXISTS `ops`;");
  });

  it("asks nothing more without a heartbeat table", () => {
    expect(checkPrivileges(facts({ grants: grants() }), pipeline()).status).toBe("pass");
  });
});
