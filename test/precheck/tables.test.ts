import { describe, expect, it } from "vitest";
import { checkForeignKeyCascades, checkKeylessOnCompacted, checkTableEngines, checkTableKeys, checkTablesExist, selectedTables } from "../../src/precheck/tables.js";
import { facts, pipeline, rule, tableFacts } from "./fixtures.js";

const shop = [tableFacts("shop", "orders"), tableFacts("shop", "audit_1"), tableFacts("shop", "audit_2", { hasPrimaryKey: false, hasUniqueKey: true }), tableFacts("shop", "v_totals", { isView: true, engine: null })];
const withShop = facts({ tables: { ok: true, value: shop }, databases: { ok: true, value: ["shop", "empty"] } });

describe("selected tables", () => {
  it("selects base tables the rules match, never views", () => {
    const p = pipeline({ objects: [rule({ exact: "shop" }, null)] });
    expect(selectedTables(p, shop).map((t) => t.table)).toEqual(["orders", "audit_1", "audit_2"]);
  });

  it("leaves online schema-change tools' tables out of patterns", () => {
    const migrating = [...shop, tableFacts("shop", "_orders_new"), tableFacts("shop", "_orders_gho"), tableFacts("shop", "_orders_ghc")];
    const p = pipeline({ objects: [rule({ exact: "shop" }, { pattern: "^(?:.*)$" })] });
    expect(selectedTables(p, migrating).map((t) => t.table)).toEqual(["orders", "audit_1", "audit_2"]);
  });

  it("passes when every exact rule names an existing table or database", () => {
    const p = pipeline({ objects: [rule({ exact: "shop" }, { exact: "orders" }), rule({ exact: "empty" }, null)] });
    expect(checkTablesExist(withShop, p)).toMatchObject({ status: "pass" });
  });

  it("fails on an exact table or database that does not exist, pointing at the rule", () => {
    const p = pipeline({ objects: [rule({ exact: "shop" }, { exact: "order" }, 12)] });
    const result = checkTablesExist(withShop, p);
    expect(result.status).toBe("fail");
    expect(result.reason).toContain('database "shop" table "order" (shop.dts:12:3)');
    expect(checkTablesExist(withShop, pipeline({ objects: [rule({ exact: "nope" }, null)] })).status).toBe("fail");
  });

  it("warns when a pattern matches nothing", () => {
    const p = pipeline({ objects: [rule({ exact: "shop" }, { exact: "orders" }), rule({ exact: "shop" }, { pattern: "^log_\\d+$" })] });
    const result = checkTablesExist(withShop, p);
    expect(result.status).toBe("warn");
    expect(result.reason).toContain('match("^log_\\d+$")');
  });

  it("fails on a rule that names a view", () => {
    expect(checkTablesExist(withShop, pipeline({ objects: [rule({ exact: "shop" }, { exact: "v_totals" })] })).status).toBe("fail");
  });

  it("leaves MariaDB sequences out of a database's tables, and fails a rule that names one", () => {
    const tables = [...shop, tableFacts("shop", "order_ids", { isSequence: true, hasPrimaryKey: false })];
    expect(selectedTables(pipeline({ objects: [rule({ exact: "shop" }, null)] }), tables).map((t) => t.table)).not.toContain("order_ids");
    const named = checkTablesExist(facts({ tables: { ok: true, value: tables }, databases: { ok: true, value: ["shop"] } }), pipeline({ objects: [rule({ exact: "shop" }, { exact: "order_ids" })] }));
    expect(named).toMatchObject({ status: "fail" });
    expect(named.reason).toContain("names a view or a sequence");
  });
});

describe("keys and engines", () => {
  it("warns about tables without a primary or unique key, and only selected ones", () => {
    const tables = [...shop, tableFacts("shop", "events", { hasPrimaryKey: false }), tableFacts("other", "log", { hasPrimaryKey: false })];
    const result = checkTableKeys(facts({ tables: { ok: true, value: tables } }), pipeline({ objects: [rule({ exact: "shop" }, null)] }));
    expect(result.status).toBe("warn");
    expect(result.reason).toContain("shop.events");
    expect(result.reason).not.toContain("other.log");
    expect(result.reason).not.toContain("audit_2");
  });

  it("passes and mentions unique-key-only tables", () => {
    const result = checkTableKeys(withShop, pipeline({ objects: [rule({ exact: "shop" }, null)] }));
    expect(result.status).toBe("pass");
    expect(result.reason).toContain("1 by a unique key only");
  });

  it("fails a table without a key that goes to a compacted topic, naming table and topic", () => {
    const tables = [...shop, tableFacts("shop", "events", { hasPrimaryKey: false }), tableFacts("shop", "log", { hasPrimaryKey: false })];
    const topicOf = { ...rule({ exact: "shop" }, { exact: "events" }), target: { database: null, table: null, topic: "shop.events" } };
    const p = pipeline({ objects: [topicOf, rule({ exact: "shop" }, null)] });
    const withTables = facts({ tables: { ok: true, value: tables } });
    const result = checkKeylessOnCompacted(withTables, p, { compacted: new Set(["shop.events"]) });
    expect(result?.status).toBe("fail");
    expect(result?.id).toBe("table-keys");
    expect(result?.reason).toContain("shop.events (topic shop.events) has no key");
    expect(result?.reason).not.toContain("shop.log");
    // Tables with a key, or no compacted topic: nothing to add to the table-keys check.
    expect(checkKeylessOnCompacted(withTables, p, { compacted: new Set(["elsewhere"]) })).toBeNull();
    expect(checkKeylessOnCompacted(withShop, pipeline({ objects: [rule({ exact: "shop" }, null)] }), { compacted: new Set([p.destination.topic]) })).toBeNull();
  });

  it("fails on FEDERATED, MRG_MyISAM and BLACKHOLE tables", () => {
    const tables = [tableFacts("shop", "orders"), tableFacts("shop", "remote", { engine: "FEDERATED" }), tableFacts("shop", "merged", { engine: "MRG_MyISAM" }), tableFacts("shop", "sink", { engine: "BLACKHOLE" })];
    const result = checkTableEngines(facts({ tables: { ok: true, value: tables } }), pipeline({ objects: [rule({ exact: "shop" }, null)] }));
    expect(result.status).toBe("fail");
    for (const name of ["shop.remote uses FEDERATED", "shop.merged uses MRG_MyISAM", "shop.sink uses BLACKHOLE"]) expect(result.reason).toContain(name);
    expect(checkTableEngines(withShop, pipeline()).reason).toBe("engines in use: InnoDB");
  });

  it("fails on selected system-versioned tables, whose binlog rows would arrive wrong", () => {
    const tables = [tableFacts("shop", "orders"), tableFacts("shop", "prices", { systemVersioned: true }), tableFacts("other", "history", { systemVersioned: true })];
    const result = checkTableEngines(facts({ tables: { ok: true, value: tables } }), pipeline({ objects: [rule({ exact: "shop" }, null)] }));
    expect(result.status).toBe("fail");
    expect(result.reason).toMatch(/^shop\.prices is system-versioned \(WITH SYSTEM VERSIONING\)/);
    expect(result.reason).not.toContain("other.history");
    expect(result.fix).toContain("DROP SYSTEM VERSIONING");
  });

  it("warns when foreign-key cascades change a selected table, whose changes the binlog lacks", () => {
    const tables = [tableFacts("shop", "orders"), tableFacts("shop", "lines", { cascades: ["fk_order (ON DELETE CASCADE from orders)"] }), tableFacts("other", "notes", { cascades: ["fk (ON UPDATE SET NULL from x)"] })];
    const result = checkForeignKeyCascades(facts({ tables: { ok: true, value: tables } }), pipeline({ objects: [rule({ exact: "shop" }, null)] }));
    expect(result.status).toBe("warn");
    expect(result.reason).toContain("never reach Kafka: shop.lines by fk_order (ON DELETE CASCADE from orders)");
    expect(result.reason).not.toContain("other.notes");
    expect(checkForeignKeyCascades(withShop, pipeline()).status).toBe("pass");
  });

  it("says it could not look, with the GRANT, when foreign keys exist whose rules the account cannot see", () => {
    const hidden = [tableFacts("shop", "orders"), tableFacts("shop", "lines", { unreadForeignKeys: ["fk_order"] })];
    const result = checkForeignKeyCascades(facts({ currentUser: "dts@%", tables: { ok: true, value: hidden } }), pipeline({ objects: [rule({ exact: "shop" }, null)] }));
    expect(result.status).toBe("warn");
    expect(result.reason).toMatch(/^not checked: the ON DELETE \/ ON UPDATE rules of the foreign keys of shop\.lines \(fk_order\) could not be read/);
    expect(result.fix).toContain("GRANT SHOW VIEW ON *.* TO 'dts'@'%';");
    // A cascade it did see is still named, with the unread keys beside it.
    const both = [tableFacts("shop", "lines", { cascades: ["fk_a (ON DELETE CASCADE from orders)"], unreadForeignKeys: ["fk_b"] })];
    const mixed = checkForeignKeyCascades(facts({ currentUser: "dts@%", tables: { ok: true, value: both } }), pipeline({ objects: [rule({ exact: "shop" }, null)] }));
    expect(mixed.reason).toContain("shop.lines by fk_a (ON DELETE CASCADE from orders); the ON DELETE / ON UPDATE rules of the foreign keys of shop.lines (fk_b) could not be read");
    expect(mixed.fix).toContain("GRANT SHOW VIEW");
  });

  it("reports not checked when information_schema cannot be read", () => {
    const blind = facts({ tables: { ok: false, error: "denied" } });
    for (const check of [checkTablesExist, checkTableKeys, checkTableEngines]) expect(check(blind, pipeline()).reason).toMatch(/^not checked/);
  });
});
