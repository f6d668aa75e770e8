// A rule's column names resolve against a table's as MySQL compares them (in any case); a name
// the table lacks and two output columns with one name are errors that say where in the spec.
import { describe, expect, it } from "vitest";
import type { ObjectRule } from "../../src/generated/plan.js";
import { chooseColumns, describeColumnProblem, findColumn, partitionColumns, ruleColumnProblems, type ColumnChoice } from "../../src/runtime/select/column-names.js";

const columns = (include: string[] | null, exclude: string[] = [], rename: Record<string, string> = {}): ObjectRule["columns"] => ({ include, exclude, rename });

function rule(extra: Partial<ObjectRule> = {}): ObjectRule {
  return {
    origin: { file: "spec.dts", line: 7, column: 5 },
    database: { exact: "db" },
    table: { exact: "t" },
    target: { database: null, table: null, topic: null },
    columns: columns(null),
    filter: null,
    partition: null,
    ...extra,
  };
}

const withColumns = (...args: Parameters<typeof columns>): ObjectRule => rule({ columns: columns(...args) });

describe("findColumn", () => {
  it("prefers the exact spelling, else matches in any case, accents counting", () => {
    expect(findColumn(["Id", "Name"], "NAME")).toBe(1);
    expect(findColumn(["a", "A"], "A")).toBe(1);
    expect(findColumn(["É"], "é")).toBe(0);
    expect(findColumn(["e"], "é")).toBe(-1);
  });
});

describe("chooseColumns", () => {
  const js = ["Id", "Name", "Doc"];

  it("keeps included columns named in another case, in the table's spelling", () => {
    expect(chooseColumns(js, withColumns(["id", "NAME"]))).toEqual({ keep: [0, 1], names: ["Id", "Name"] });
    expect(chooseColumns(js, withColumns(null, ["doc"], { name: "label" }))).toEqual({ keep: [0, 1], names: ["Id", "label"] });
  });

  it("names the list and the column the table does not have", () => {
    expect(chooseColumns(js, withColumns(["id", "nosuch"]))).toEqual({ kind: "missing", part: "include", name: "nosuch" });
    expect(chooseColumns(js, withColumns(null, ["gone"]))).toEqual({ kind: "missing", part: "exclude", name: "gone" });
    expect(chooseColumns(js, withColumns(null, [], { old: "new" }))).toEqual({ kind: "missing", part: "rename", name: "old" });
    // A pattern's tables may differ: one of them lacking an excluded column is no mistake.
    expect(chooseColumns(js, rule({ table: { pattern: "t_\\d+" }, columns: columns(null, ["gone", "doc"], { old: "new", name: "label" }) }))).toEqual({ keep: [0, 1], names: ["Id", "label"] });
    expect(chooseColumns(js, rule({ table: { pattern: "t_\\d+" }, columns: columns(["gone"]) }))).toEqual({ kind: "missing", part: "include", name: "gone" });
  });

  it("refuses two output columns with one name, compared in any case", () => {
    const comp = ["a", "b", "v"];
    expect(chooseColumns(comp, withColumns(null, [], { v: "a" }))).toEqual({ kind: "duplicate", name: "a", columns: ["a", "v (renamed to a)"] });
    expect(chooseColumns(comp, withColumns(null, [], { v: "B" }))).toEqual({ kind: "duplicate", name: "B", columns: ["b", "v (renamed to B)"] });
    // Swapping names, or renaming onto an excluded column, leaves every name once.
    expect(chooseColumns(comp, withColumns(null, [], { a: "b", b: "a" }))).toEqual({ keep: [0, 1, 2], names: ["b", "a", "v"] });
    expect(chooseColumns(comp, withColumns(null, ["a"], { v: "a" }))).toEqual({ keep: [1, 2], names: ["b", "a"] });
  });
});

describe("partitionColumns", () => {
  const names = ["Id", "Customer", "Note"];
  const choice: ColumnChoice = { keep: [0, 1], names: ["Id", "buyer"] };

  it("spells hashed columns as the messages do, from a message name or a table name in any case", () => {
    expect(partitionColumns(["BUYER", "id"], names, choice)).toEqual(["buyer", "Id"]);
    expect(partitionColumns(["customer"], names, choice)).toEqual(["buyer"]);
  });

  it("tells a missing column from one the column choice leaves out", () => {
    expect(partitionColumns(["nosuch"], names, choice)).toEqual({ kind: "missing", part: "partition", name: "nosuch" });
    expect(partitionColumns(["note"], names, choice)).toEqual({ kind: "left-out", name: "note" });
  });
});

describe("ruleColumnProblems and describeColumnProblem", () => {
  it("finds every problem of a rule with a table and says where", () => {
    const r = rule({
      columns: columns(["ID", "missing"]),
      filter: { text: "Status = 'x' AND nope IS NULL", expr: { op: "and", args: [{ op: "=", column: "Status", value: { string: "x" } }, { op: "is-null", column: "nope", negated: false }] } },
    });
    const problems = ruleColumnProblems(r, ["id", "status"]);
    expect(problems.map((p) => describeColumnProblem(p, r, "db.t").message)).toEqual([
      "columns { include } at spec.dts:7:5 names column missing, which table db.t does not have",
      "row filter at spec.dts:7:5 names column nope, which table db.t does not have",
    ]);
  });

  it("checks a columns-hash partition of the rule against the kept columns", () => {
    const r = rule({ columns: columns(null, ["note"]), partition: { policy: "columns-hash", columns: ["note"] } });
    const [problem] = ruleColumnProblems(r, ["id", "note"]);
    expect(describeColumnProblem(problem as never, r, "db.t").message).toBe("partition = columns(...) at spec.dts:7:5 names column note, which the columns block leaves out of table db.t's messages");
    expect(ruleColumnProblems(rule({ partition: { policy: "columns-hash", columns: ["ID"] } }), ["id"])).toEqual([]);
  });

  it("describes a name collision with both columns", () => {
    const r = rule({ columns: columns(null, [], { v: "a" }) });
    const [problem] = ruleColumnProblems(r, ["a", "b", "v"]);
    expect(describeColumnProblem(problem as never, r, "db.comp")).toEqual({
      message: "columns at spec.dts:7:5 give table db.comp two columns named a: a and v (renamed to a)",
      fix: "rename one of them to a name no other column has, or leave one out with exclude",
    });
  });
});
