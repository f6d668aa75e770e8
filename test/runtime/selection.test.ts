import { describe, expect, it } from "vitest";
import type { ObjectRule } from "../../src/generated/plan.js";
import { ObjectSelector } from "../../src/runtime/select/object-selector.js";
import { mapTable } from "../../src/runtime/select/row-mapper.js";
import { orders } from "./fixtures.js";

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
