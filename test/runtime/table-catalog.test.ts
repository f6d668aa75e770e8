import { describe, expect, it } from "vitest";
import type { TableInfo } from "../../src/runtime/change-event.js";
import { TableCatalog } from "../../src/runtime/source/table-catalog.js";
import { orders } from "./fixtures.js";

describe("TableCatalog", () => {
  it("loads once, serves from cache, and reloads after invalidation", async () => {
    let loads = 0;
    const catalog = new TableCatalog(async () => {
      loads++;
      return orders;
    });
    const names = orders.columns.map((c) => c.name);
    expect(catalog.cached("shop", "orders", names)).toBeUndefined();
    expect(await catalog.load("shop", "orders", names)).toBe(orders);
    expect(catalog.cached("shop", "orders", names)).toBe(orders);
    catalog.invalidate("shop", "orders");
    expect(catalog.cached("shop", "orders", names)).toBeUndefined();
    await catalog.load("shop", "orders", names);
    expect(loads).toBe(2);
  });

  it("follows the binlog's column list for rows written before an ALTER", async () => {
    const catalog = new TableCatalog(async () => orders);
    const oldNames = ["id", "status", "legacy"];
    const variant = (await catalog.load("shop", "orders", oldNames)) as TableInfo;
    expect(variant.columns.map((c) => c.name)).toEqual(oldNames);
    expect(variant.columns[0]).toBe(orders.columns[0]);
    expect(variant.columns[2]?.dataType).toBe("longtext");
    expect(variant.primaryKey).toEqual(["id"]);
    expect(catalog.cached("shop", "orders", oldNames)).toBe(variant);
  });

  it("remembers tables that do not exist", async () => {
    const catalog = new TableCatalog(async () => null);
    expect(await catalog.load("shop", "gone", [])).toBe(null);
    expect(catalog.cached("shop", "gone", ["a"])).toBe(null);
  });
});
