// Each single edit of a spec is reported as the change it is, with its severity and a location
// in the new spec (or the base's, for what is gone); a spec compared with itself shows nothing.
import { describe, expect, it } from "vitest";
import { diffPlans, reaches } from "../../src/plan-diff/index.js";
import { diffTexts, edit, side } from "./helpers.js";
import { mutations, shop } from "./mutations.js";

describe("plan --diff classification", () => {
  it("finds no change between a spec and itself", () => {
    expect(diffTexts(shop, shop)).toEqual([]);
  });

  for (const m of mutations) {
    it(`${m.name}: ${m.expect ? `${m.expect.severity} ${m.expect.change}` : "no change"}`, () => {
      const changes = diffTexts(shop, edit(shop, m.from, m.to));
      if (!m.expect) return expect(changes).toEqual([]);
      expect(changes).toContainEqual(expect.objectContaining(m.expect));
      const allowed = new Set([m.expect.change, ...(m.also ?? [])]);
      expect(changes.filter((c) => !allowed.has(c.change))).toEqual([]);
      for (const c of changes) expect(c.line).toBeGreaterThan(0);
    });
  }

  it("finds no change in a rename to the name the source already has, and the rename back", () => {
    const named = edit(shop, 'table "customers" {\n      rename = "clients"\n    }', 'table "customers" {\n      rename = "customers"\n    }');
    const plain = edit(shop, 'table "customers" {\n      rename = "clients"\n    }', 'table "customers" {}');
    expect(diffTexts(plain, named)).toEqual([]);
    expect(diffTexts(named, plain)).toEqual([]);
    expect(diffTexts(plain, shop)).toEqual([expect.objectContaining({ change: "table renamed", severity: "breaking" })]);
  });

  it("points at the attribute that changed in the new spec", () => {
    const next = edit(shop, '"shop.orders"', '"shop.orders.v2"');
    const [change] = diffTexts(shop, next).filter((c) => c.change === "topic changed");
    expect(change).toMatchObject({ file: "shop.dts", line: 31, column: 7, side: "new", from: "shop.orders", to: "shop.orders.v2" });
  });

  it("points a removed table at the base spec's line, and says so", () => {
    const next = edit(shop, 'table "customers" {\n      rename = "clients"\n    }', "");
    const changes = diffTexts(shop, next);
    expect(changes).toEqual([expect.objectContaining({ change: "table removed", severity: "caution", table: "shop.customers", line: 41, column: 5, side: "base" })]);
  });

  it("reports a changed literal password without either value", () => {
    const literal = (value: string) => edit(shop, 'password = env("DB_PASSWORD")', `password = "${value}"`);
    const changes = diffTexts(literal("hunter2"), literal("correct-horse"));
    expect(changes).toEqual([expect.objectContaining({ change: "source password changed", severity: "caution", from: null, to: null })]);
    expect(JSON.stringify(changes)).not.toMatch(/hunter2|correct-horse/);
    expect(diffTexts(literal("hunter2"), literal("hunter2"))).toEqual([]);
  });

  it("reports a new pipeline and a removed one", () => {
    const other = edit(shop, 'pipeline "shop"', 'pipeline "other"').replace('"db.internal"', '"db2.internal"');
    const changes = diffTexts(shop, other);
    expect(changes).toContainEqual(expect.objectContaining({ change: "pipeline added", pipeline: "other", severity: "caution" }));
    expect(changes).toContainEqual(expect.objectContaining({ change: "pipeline removed", pipeline: "shop", side: "base" }));
  });

  it("sees a rename through another change: same server, some tables in common", () => {
    const next = edit(edit(shop, 'pipeline "shop"', 'pipeline "shop-v2"'), 'table "customers" {', 'table "items" {}\n\n    table "customers" {');
    const changes = diffTexts(shop, next);
    expect(changes.filter((c) => c.severity !== "safe").map((c) => [c.change, c.severity, c.from, c.to])).toEqual([
      ["pipeline renamed", "breaking", "shop", "shop-v2"],
      ["binlog server id changed", "caution", expect.any(String), expect.any(String)],
      ["table added", "caution", null, "shop.items"],
    ]);
    const otherServer = edit(next, '"db.internal"', '"db2.internal"');
    expect(diffTexts(shop, otherServer).map((c) => c.change)).toEqual(expect.arrayContaining(["pipeline added", "pipeline removed"]));
  });

  it("reports a reorder of table rules", () => {
    const next = edit(edit(shop, 'table "customers" {\n      rename = "clients"\n    }', ""), 'table "orders" {', 'table "customers" {\n      rename = "clients"\n    }\n\n    table "orders" {');
    expect(diffTexts(shop, next).map((c) => c.change)).toEqual(["table rules reordered"]);
  });

  it("finds no change when only the case of included or renamed columns changes", () => {
    const listed = edit(shop, 'exclude = ["note"]', 'include = ["id", "Customer_ID", "Total"]');
    const recased = edit(edit(listed, '"Customer_ID", "Total"', '"customer_id", "total"'), 'total = "amount"', 'TOTAL = "amount"');
    expect(diffTexts(listed, recased)).toEqual([]);
    const changed = diffTexts(listed, edit(listed, '"Total"]', '"Total", "note"]'));
    expect(changed.map((c) => [c.change, c.to])).toEqual([["column added", "note"]]);
  });

  it("compares a table with the pattern that now selects it, so a topic move shows", () => {
    const next = edit(edit(shop, 'table "orders" {', 'table glob("order?") {'), '"shop.orders"', '"shop.orders.v2"');
    const changes = diffTexts(shop, next);
    expect(changes.map((c) => [c.change, c.severity, c.table])).toEqual([
      ["table selector changed", "caution", "shop.orders"],
      ["topic changed", "breaking", "shop.orders"],
      ["new topic", "caution", null],
    ]);
    const back = diffTexts(next, shop);
    expect(back.map((c) => [c.change, c.severity, c.table])).toEqual([
      ["table selector changed", "caution", "shop.orders"],
      ["topic changed", "breaking", "shop.orders"],
      ["new topic", "caution", null],
    ]);
  });

  it("leaves a pattern that does not select the old table as an added and a removed table", () => {
    const next = edit(shop, 'table "orders" {', 'table glob("invoice?") {');
    expect(diffTexts(shop, next).map((c) => c.change)).toEqual(["table added", "table removed"]);
  });

  it("says which severities a list reaches", () => {
    const changes = diffTexts(shop, edit(shop, "ddl          = ignore", "ddl = capture"));
    expect([reaches(changes, "breaking"), reaches(changes, "caution")]).toEqual([false, true]);
  });

  it("never leaves a difference unreported, even in a field it does not know", () => {
    const base = side(shop);
    const next = structuredClone(base);
    (next.plan.pipelines[0] as unknown as Record<string, unknown>)["futureSetting"] = 1;
    (next.plan.pipelines[0]?.objects[0] as unknown as Record<string, unknown>)["futureRuleSetting"] = true;
    const changes = diffPlans(base, next);
    expect(changes.map((c) => [c.change, c.severity])).toEqual([
      ["futureSetting changed", "caution"],
      ["objects/futureRuleSetting changed", "caution"],
    ]);
  });
});
