// The initial sync copies the tables the rules select, and never an online schema-change
// tool's copy of one that a pattern happens to match.
import { describe, expect, it } from "vitest";
import { listSelectedTables } from "../../src/runtime/snapshot/snapshot-tables.js";
import { ObjectSelector } from "../../src/runtime/select/object-selector.js";
import { rule } from "../precheck/fixtures.js";

describe("initial sync table selection", () => {
  it("leaves online schema-change tools' tables out of patterns, not out of exact names", async () => {
    const names = ["orders", "_orders_new", "_orders_gho", "_orders_ghc", "__orders_old", "_audit_gho"];
    const query = async () => names.map((name) => ({ db: "shop", name, estimate: 10 }));
    const selector = new ObjectSelector([rule({ exact: "shop" }, { exact: "_audit_gho" }, 1), rule({ exact: "shop" }, null, 2)]);
    expect((await listSelectedTables(query, selector)).map(([, table]) => table)).toEqual(["orders", "_audit_gho"]);
  });
});
