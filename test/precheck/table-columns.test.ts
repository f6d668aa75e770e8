import { describe, expect, it } from "vitest";
import type { ObjectRule } from "../../src/generated/plan.js";
import { checkTableColumns, type TableColumns } from "../../src/precheck/table-columns.js";
import { facts, pipeline, rule, tableFacts } from "./fixtures.js";

const withTables = facts({ tables: { ok: true, value: [tableFacts("shop", "orders"), tableFacts("shop", "comp")] } });
const columns = (entries: Record<string, string[]>, keys: Record<string, string[]> = {}) => ({ ok: true as const, value: new Map(Object.entries(entries).map(([t, c]) => [`shop\u0000${t}`, { names: c, key: keys[t] ?? [] }])) as TableColumns });
const known = columns({ orders: ["Id", "Status", "Note"], comp: ["a", "b", "v"] });

function tableRule(table: string, extra: Partial<ObjectRule>): ObjectRule {
  return { ...rule({ exact: "shop" }, { exact: table }), ...extra };
}

describe("table-columns precheck", () => {
  it("passes when the names match in another case", () => {
    const p = pipeline({
      objects: [tableRule("orders", {
        columns: { include: ["id", "STATUS"], exclude: [], rename: { status: "state" } },
        filter: { text: "status = 'x'", expr: { op: "=", column: "status", value: { string: "x" } } },
      })],
    });
    expect(checkTableColumns(withTables, p, known)).toMatchObject({ status: "pass" });
  });

  it("fails on a column a table lacks, in the columns block or the filter, naming the spec location", () => {
    const p = pipeline({
      objects: [tableRule("orders", {
        columns: { include: null, exclude: ["secret"], rename: {} },
        filter: { text: "nosuch = 1", expr: { op: "=", column: "nosuch", value: { number: "1" } } },
      })],
    });
    const result = checkTableColumns(withTables, p, known);
    expect(result).toMatchObject({ status: "fail", code: "DTS4021" });
    expect(result.reason).toBe(
      "columns { exclude } at shop.dts:10:3 names column secret, which table shop.orders does not have, row filter at shop.dts:10:3 names column nosuch, which table shop.orders does not have",
    );
  });

  it("fails on a rename onto a kept column's name", () => {
    const p = pipeline({ objects: [tableRule("comp", { columns: { include: null, exclude: [], rename: { v: "A" } } })] });
    expect(checkTableColumns(withTables, p, known)).toMatchObject({ status: "fail", reason: "columns at shop.dts:10:3 give table shop.comp two columns named A: a and v (renamed to A)" });
  });

  it("warns when the column choice leaves out a column of the key, since messages then carry no key", () => {
    const keyed = columns({ orders: ["Id", "Status", "Note"], comp: ["a", "b", "v"] }, { orders: ["Id"], comp: ["a", "b"] });
    const p = pipeline({ objects: [tableRule("orders", { columns: { include: null, exclude: ["note"], rename: {} } }), tableRule("comp", { columns: { include: ["a", "v"], exclude: [], rename: {} } })] });
    const result = checkTableColumns(withTables, p, keyed);
    expect(result.status).toBe("warn");
    expect(result.reason).toBe("columns at shop.dts:10:3 leave out key column b of table shop.comp: their messages carry no message key (a compacted topic refuses them) and primary-key-hash sends their rows to partition 0");
    const renamedKey = pipeline({ objects: [tableRule("orders", { columns: { include: null, exclude: [], rename: { id: "order_id" } } })] });
    expect(checkTableColumns(withTables, renamedKey, keyed).status).toBe("pass");
  });

  it("does not judge when the columns could not be read", () => {
    const p = pipeline({ objects: [tableRule("orders", { columns: { include: ["x"], exclude: [], rename: {} } })] });
    expect(checkTableColumns(withTables, p, { ok: false, error: "denied" }).status).toBe("warn");
    expect(checkTableColumns(withTables, pipeline(), columns({})).reason).toBe("no rule names columns");
  });
});
