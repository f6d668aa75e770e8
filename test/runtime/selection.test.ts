import { describe, expect, it } from "vitest";
import type { ObjectRule, Pipeline } from "../../src/generated/plan.js";
import { zoneClock } from "../../src/runtime/encode/time-zone.js";
import { ObjectSelector } from "../../src/runtime/select/object-selector.js";
import { mapTable } from "../../src/runtime/select/row-mapper.js";
import { buildRoute } from "../../src/runtime/select/table-route.js";
import { javaStringHashCode, partitionForHash } from "../../src/runtime/sink/partitioner.js";
import { column, orders, table } from "./fixtures.js";

function rule(database: ObjectRule["database"], tableMatcher: ObjectRule["table"], extra: Partial<ObjectRule> = {}): ObjectRule {
  return {
    origin: { file: "t.dts", line: 1, column: 1 },
    database,
    table: tableMatcher,
    target: { database: null, table: null, topic: null },
    columns: { include: null, exclude: [], rename: {} },
    filter: null,
    partition: null,
    ...extra,
  };
}

describe("ObjectSelector", () => {
  it("uses the first matching rule; patterns are anchored", () => {
    const first = rule({ exact: "shop" }, { exact: "orders" }, { target: { database: null, table: null, topic: "orders-topic" } });
    const second = rule({ exact: "shop" }, { pattern: "order.*" });
    const third = rule({ pattern: "tenant_[0-9]+" }, null);
    const selector = new ObjectSelector([first, second, third]);
    expect(selector.ruleFor("shop", "orders")).toBe(first);
    expect(selector.ruleFor("shop", "order_items")).toBe(second);
    expect(selector.ruleFor("shop", "my_orders")).toBe(null);
    expect(selector.ruleFor("tenant_12", "anything")).toBe(third);
    expect(selector.ruleFor("tenant_12x", "anything")).toBe(null);
    expect(selector.ruleFor("xtenant_1", "anything")).toBe(null);
    expect(selector.selectsDatabase("shop")).toBe(true);
    expect(selector.selectsDatabase("other")).toBe(false);
  });

  it("names a database for DDL that names no table by the rename of the first rule that may select its tables", () => {
    const renamed = (name: string) => ({ target: { database: name, table: null, topic: null } });
    const selector = new ObjectSelector([
      rule({ pattern: "tenant_[0-9]+" }, null, renamed("tenants")),
      rule({ exact: "shop" }, { exact: "orders" }, renamed("store")),
      rule({ exact: "shop" }, null, renamed("other")),
      rule({ exact: "tenant_1" }, null, renamed("first")),
      rule({ exact: "plain" }, null),
    ]);
    expect(selector.databaseTarget("shop")).toBe("store");
    expect(selector.databaseTarget("tenant_1")).toBe("tenants");
    expect(selector.databaseTarget("plain")).toBe(null);
    expect(selector.databaseTarget("unselected")).toBe(null);
  });

  it("matches names exactly, including case", () => {
    const selector = new ObjectSelector([rule({ exact: "Shop" }, { exact: "Orders" })]);
    expect(selector.ruleFor("shop", "orders")).toBe(null);
    expect(selector.ruleFor("Shop", "Orders")).not.toBe(null);
  });
});

describe("mapTable", () => {
  it("renames database, table and columns and picks the topic", () => {
    const mapping = mapTable(orders, rule({ exact: "shop" }, { exact: "orders" }, {
      target: { database: "shop_v2", table: "purchase", topic: "purchases" },
      columns: { include: null, exclude: ["note"], rename: { id: "order_id", status: "state" } },
    }), "default-topic");
    expect(mapping.topic).toBe("purchases");
    expect(mapping.target.database).toBe("shop_v2");
    expect(mapping.target.table).toBe("purchase");
    expect(mapping.target.columns.map((c) => c.name)).toEqual(["order_id", "state", "amount", "created_at"]);
    expect(mapping.target.primaryKey).toEqual(["order_id"]);
    expect(mapping.sourceNames).toEqual(["id", "status", "amount", "created_at"]);
    expect(mapping.project([1n, "NEW", "2.00", "hi", "2024-01-01 00:00:00.000"])).toEqual([1n, "NEW", "2.00", "2024-01-01 00:00:00.000"]);
  });

  it("keeps images untouched when every column stays, and drops a key that lost a column", () => {
    const all = mapTable(orders, rule({ exact: "shop" }, null), "t");
    const image = [1n, "NEW", "2.00", null, "2024-01-01 00:00:00.000"];
    expect(all.project(image)).toBe(image);
    expect(all.topic).toBe("t");
    const noId = mapTable(orders, rule({ exact: "shop" }, null, { columns: { include: ["status", "amount"], exclude: [], rename: {} } }), "t");
    expect(noId.target.columns.map((c) => c.name)).toEqual(["status", "amount"]);
    expect(noId.target.primaryKey).toEqual([]);
  });
});

describe("mapTable with column names in another case", () => {
  const js = table("db", "js", [column("Id", "bigint"), column("Name", "varchar"), column("Doc", "text")], ["Id"]);

  it("keeps included columns and the key whatever case the spec uses, in the table's spelling", () => {
    const mapping = mapTable(js, rule({ exact: "db" }, { exact: "js" }, { columns: { include: ["id", "NAME"], exclude: [], rename: {} } }), "t");
    expect(mapping.target.columns.map((c) => c.name)).toEqual(["Id", "Name"]);
    expect(mapping.target.primaryKey).toEqual(["Id"]);
    expect(mapping.project([1n, "n", "d"])).toEqual([1n, "n"]);
  });

  it("drops an excluded column and renames one named in another case", () => {
    const mapping = mapTable(js, rule({ exact: "db" }, { exact: "js" }, { columns: { include: null, exclude: ["DOC"], rename: { id: "key" } } }), "t");
    expect(mapping.target.columns.map((c) => c.name)).toEqual(["key", "Name"]);
    expect(mapping.target.primaryKey).toEqual(["key"]);
  });

  it("refuses a column the table does not have, naming the spec location", () => {
    const missing = rule({ exact: "db" }, { exact: "js" }, { columns: { include: ["id", "nosuch"], exclude: [], rename: {} } });
    expect(() => mapTable(js, missing, "t")).toThrow(/^columns \{ include \} at t\.dts:1:1 names column nosuch, which table db\.js does not have$/);
  });

  it("refuses a rename onto a kept column's name", () => {
    const comp = table("db", "comp", [column("a", "int"), column("b", "varchar"), column("v", "int")], ["a", "b"]);
    const clash = rule({ exact: "db" }, { exact: "comp" }, { columns: { include: null, exclude: [], rename: { v: "a" } } });
    expect(() => mapTable(comp, clash, "t")).toThrow("columns at t.dts:1:1 give table db.comp two columns named a: a and v (renamed to a)");
  });
});

describe("routes with a columns-hash partition", () => {
  const js = table("db", "js", [column("Id", "bigint"), column("Customer", "varchar")], ["Id"]);
  const settings = (policy: Pipeline["partition"]) => ({ defaultTopic: "t", policy, filterContext: { zone: zoneClock("UTC") } });

  it("hashes a column named in another case", () => {
    const byCustomer = buildRoute(js, rule({ exact: "db" }, null, { partition: { policy: "columns-hash", columns: ["CUSTOMER"] } }), settings({ policy: "partition-zero" }));
    expect(byCustomer.keyColumns).toContain(1);
    expect(byCustomer.partitioner([1n, "c"], 1000)).toBe(partitionForHash(javaStringHashCode("c"), 1000));
  });

  it("refuses a rule's partition column the table lacks, and leaves the pipeline's on partition 0", () => {
    const partitioned = rule({ exact: "db" }, null, { partition: { policy: "columns-hash", columns: ["nosuch"] } });
    expect(() => buildRoute(js, partitioned, settings({ policy: "partition-zero" }))).toThrow(/^partition = columns\(\.\.\.\) at t\.dts:1:1 names column nosuch/);
    expect(buildRoute(js, rule({ exact: "db" }, null), settings({ policy: "columns-hash", columns: ["nosuch"] })).partitioner([1n, "c"], 7)).toBe(0);
  });
});
