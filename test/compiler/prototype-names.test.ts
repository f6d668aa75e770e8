// Names that are members of Object.prototype (constructor, __proto__, toString, ...) are
// ordinary names wherever a user names something: specs using them as databases, tables,
// column lists and renames compile to exactly the plan they describe. Where the compiler looks a
// word up (a block, a function, a unit), they are unknown words, reported like any typo.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";

const prototypeNames = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "__defineGetter__"];
const name = fc.oneof(fc.constantFrom(...prototypeNames), fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/));
const names = (min: number, max: number) => fc.uniqueArray(name, { minLength: min, maxLength: max });

interface Table {
  name: string;
  include: string[];
  exclude: string[];
  rename: [string, string][];
}

/** Columns are split three ways so the lists never conflict: included, excluded, renamed. */
const table: fc.Arbitrary<Table> = fc.tuple(name, names(0, 9)).map(([tableName, columns]) => {
  const third = Math.ceil(columns.length / 3);
  const renamed = columns.slice(2 * third);
  return {
    name: tableName,
    include: columns.slice(0, third),
    exclude: columns.slice(third, 2 * third),
    // Each column takes the name of the next (a rotation), so targets are unique and the
    // check that two columns keep distinct names has nothing to report.
    rename: renamed.map((from, i) => [from, `${renamed[(i + 1) % renamed.length]}_new`]),
  };
});

const quoted = (list: string[]) => `[${list.map((n) => JSON.stringify(n)).join(", ")}]`;

function tableBlock(t: Table): string {
  const lines = [
    t.include.length ? `include = ${quoted([...t.include, ...t.rename.map(([from]) => from)])}` : "",
    t.exclude.length ? `exclude = ${quoted(t.exclude)}` : "",
    t.rename.length ? `rename = { ${t.rename.map(([from, to]) => `${JSON.stringify(from)} = ${JSON.stringify(to)}`).join(", ")} }` : "",
  ].filter(Boolean);
  return `    table ${JSON.stringify(t.name)} {\n      columns {\n        ${lines.join("\n        ")}\n      }\n    }\n`;
}

function specOf(database: string, tables: Table[]): string {
  return `pipeline "p" {
  source mysql { host = "h" user = "u" }
  destination kafka { brokers = ["k:9092"] topic = "t" }
  database ${JSON.stringify(database)} {
${tables.map(tableBlock).join("")}  }
}
`;
}

describe("Object.prototype member names", () => {
  it("as database, table and column names they compile to exactly the plan they describe", () => {
    const tables = fc.uniqueArray(table, { selector: (t) => t.name, minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(name, tables, (database, list) => {
        const text = specOf(database, list);
        const result = compile([{ file: "names.dts", text }]);
        expect(result.diagnostics, text).toEqual([]);
        // Through JSON, as the plan is written and read: a lost or inherited key shows here.
        const objects = JSON.parse(JSON.stringify(result.plan)).pipelines[0].objects;
        expect(objects).toEqual(
          list.map((t) => ({
            origin: expect.anything(),
            database: { exact: database },
            table: { exact: t.name },
            target: { database: null, table: null, topic: null },
            columns: {
              include: t.include.length ? [...t.include, ...t.rename.map(([from]) => from)] : null,
              exclude: t.exclude,
              rename: Object.fromEntries(t.rename),
            },
            filter: null,
            partition: null,
          })),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("renaming one twice is still reported, at the second", () => {
    const text = specOf("d", [{ name: "t", include: [], exclude: [], rename: [["constructor", "a"]] }]).replace('"constructor" = "a"', '"constructor" = "a", constructor = "b"');
    expect(compile([{ file: "names.dts", text }]).diagnostics.map((d) => [d.code, d.message])).toEqual([["DTS2003", "column constructor is renamed twice"]]);
  });

  it.each(prototypeNames)("%s as a block, a function or a unit is an unknown word", (word) => {
    const codes = (pipelineLines: string) => {
      const text = `pipeline "p" {\n  ${pipelineLines}\n  source mysql { host = "h" user = "u" }\n  destination kafka { brokers = ["k:9092"] topic = "t" }\n  database "d" {}\n}\n`;
      return compile([{ file: "words.dts", text }]).diagnostics.map((d) => `${d.code}@${d.span.line}`);
    };
    expect(codes(`${word} {}`)).toEqual(["DTS2002@2"]);
    expect(codes(`partition = ${word}("id")`)).toEqual(["DTS2012@2"]);
    if (/^[A-Za-z]+$/.test(word)) expect(codes(`retry_window = 1${word}`)).toEqual(["DTS2008@2"]);
  });
});
