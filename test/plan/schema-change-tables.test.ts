// Online schema-change tools' tables are never selected by a pattern, only by their exact name.
import { describe, expect, it } from "vitest";
import { isSchemaChangeHelperTable, isSchemaChangeHelperTrigger, tableSelectionTest } from "../../src/plan/schema-change-tables.js";

describe("schema-change tools' tables", () => {
  it("recognises pt-online-schema-change's and gh-ost's default names", () => {
    const tools = ["_orders_new", "_orders_old", "__orders_old", "___orders_new", "A1B2C3__________orders_old", "_orders_gho", "_orders_ghc", "_orders_ghk", "_orders_del", "_orders_20240102150405_del", "__x_new"];
    for (const name of tools) expect(isSchemaChangeHelperTable(name), name).toBe(true);
    const users = ["orders", "orders_new", "orders_old", "_orders", "news", "_new", "x_gho", "orders_del_"];
    for (const name of users) expect(isSchemaChangeHelperTable(name), name).toBe(false);
  });

  it("recognises pt-online-schema-change's triggers", () => {
    expect(isSchemaChangeHelperTrigger("pt_osc_shop_orders_ins")).toBe(true);
    expect(isSchemaChangeHelperTrigger("pt_osc_shop_orders_upd")).toBe(true);
    expect(isSchemaChangeHelperTrigger("pt_osc_shop_orders_del")).toBe(true);
    expect(isSchemaChangeHelperTrigger("orders_audit_ins")).toBe(false);
  });

  it("keeps them out of patterns and of all-tables rules, but not out of exact names", () => {
    const all = tableSelectionTest(null);
    const glob = tableSelectionTest({ pattern: "^(?:.*)$" });
    const exact = tableSelectionTest({ exact: "_orders_gho" });
    expect([all("orders"), all("_orders_new"), glob("orders"), glob("_orders_gho")]).toEqual([true, false, true, false]);
    expect([exact("_orders_gho"), exact("orders")]).toEqual([true, false]);
  });
});
