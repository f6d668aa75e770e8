// Names that are members of Object.prototype. As database, table and column names, rename targets,
// topics and environment variables they are ordinary names: the spec compiles and the plan holds
// them verbatim. As attribute, block, function, enum word or unit they are unknown, and reported
// on their line like any other typo, never silently accepted.
import type { FuzzInput } from "../check-input.js";
import { assertEveryCase } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";
import { lineOf, spec } from "../template.js";

const prototypeNames = [
  "constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable",
  "toLocaleString", "__defineGetter__", "__lookupSetter__",
];

type Plan = { pipelines: Record<string, unknown>[] };
type Rule = { database: unknown; table: unknown; target: Record<string, unknown>; columns: Record<string, unknown>; filter: unknown };
const firstRule = (plan: Plan) => (plan.pipelines[0]?.["objects"] as Rule[])[0] as Rule;

/** Where a name is a name: the spec to compile and where the plan must show the name. */
interface NamePlace {
  build: (name: string) => string;
  read: (plan: Plan) => unknown;
  expected: (name: string) => unknown;
  /** Pipeline names must start with a letter or digit. */
  accepts?: (name: string) => boolean;
}

const namePlaces: Record<string, NamePlace> = {
  "database name": { build: (n) => spec({ databases: `database "${n}" {}` }), read: (p) => firstRule(p).database, expected: (n) => ({ exact: n }) },
  "table name": { build: (n) => spec({ databases: `database "shop" {\n  table "${n}" {}\n}` }), read: (p) => firstRule(p).table, expected: (n) => ({ exact: n }) },
  "database rename": { build: (n) => spec({ databases: `database "shop" {\n  rename = "${n}"\n}` }), read: (p) => firstRule(p).target["database"], expected: (n) => n },
  "table rename": { build: (n) => spec({ table: `rename = "${n}"` }), read: (p) => firstRule(p).target["table"], expected: (n) => n },
  "table topic": { build: (n) => spec({ table: `topic = "${n}"` }), read: (p) => firstRule(p).target["topic"], expected: (n) => n },
  "included column": { build: (n) => spec({ table: `columns {\n  include = ["${n}"]\n}` }), read: (p) => firstRule(p).columns["include"], expected: (n) => [n] },
  "excluded column": { build: (n) => spec({ table: `columns {\n  exclude = ["${n}"]\n}` }), read: (p) => firstRule(p).columns["exclude"], expected: (n) => [n] },
  "renamed column": { build: (n) => spec({ table: `columns {\n  rename = { ${n} = "renamed" }\n}` }), read: (p) => firstRule(p).columns["rename"], expected: (n) => ({ [n]: "renamed" }) },
  "renamed column, quoted": { build: (n) => spec({ table: `columns {\n  rename = { "${n}" = "renamed" }\n}` }), read: (p) => firstRule(p).columns["rename"], expected: (n) => ({ [n]: "renamed" }) },
  "column rename target": { build: (n) => spec({ table: `columns {\n  rename = { total = "${n}" }\n}` }), read: (p) => firstRule(p).columns["rename"], expected: (n) => ({ total: n }) },
  "two columns swapping names": {
    build: (n) => spec({ table: `columns {\n  rename = { ${n} = "total", total = "${n}" }\n}` }),
    read: (p) => firstRule(p).columns["rename"],
    expected: (n) => ({ [n]: "total", total: n }),
  },
  "filter column": { build: (n) => spec({ table: `filter = (${n} = 1)` }), read: (p) => (firstRule(p).filter as { expr: unknown }).expr, expected: (n) => ({ op: "=", column: n, value: { number: "1" } }) },
  "environment variable": { build: (n) => spec().replace('env("DB_USER")', `env("${n}")`), read: (p) => withoutOrigin((p.pipelines[0]?.["source"] as Record<string, unknown>)["user"]), expected: (n) => ({ env: n }) },
  "pipeline name": { build: (n) => spec({ name: n }), read: (p) => p.pipelines[0]?.["name"], expected: (n) => n, accepts: (n) => /^[A-Za-z0-9]/.test(n) },
};

/** A reference as written, without where it was written (the plan records that too). */
function withoutOrigin(ref: unknown): unknown {
  if (typeof ref !== "object" || ref === null) return ref;
  const { origin: _origin, ...rest } = ref as Record<string, unknown>;
  return rest;
}

/** Where a name is a keyword the compiler looks up: the line it sits on must get an error. */
const keywordPlaces: Record<string, (name: string) => { text: string; line: string }> = {
  "pipeline attribute": (n) => ({ text: spec({ pipeline: `${n} = 1` }), line: `${n} = 1` }),
  "pipeline block": (n) => ({ text: spec({ pipeline: `${n} {}` }), line: `${n} {}` }),
  "source attribute": (n) => ({ text: spec({ source: `${n} = "x"` }), line: `${n} = "x"` }),
  "destination block": (n) => ({ text: spec({ destination: `${n} {\n  a = 1\n}` }), line: `${n} {` }),
  "table attribute": (n) => ({ text: spec({ table: `${n} = "x"` }), line: `${n} = "x"` }),
  "columns attribute": (n) => ({ text: spec({ table: `columns {\n  ${n} = ["a"]\n}` }), line: `${n} = ["a"]` }),
  "top-level block": (n) => ({ text: spec({ after: `${n} "x" {}\n` }), line: `${n} "x" {}` }),
  "format word": (n) => ({ text: spec({ pipeline: `format = ${n}` }), line: `format = ${n}` }),
  "partition word": (n) => ({ text: spec({ pipeline: `partition = ${n}` }), line: `partition = ${n}` }),
  "compression word": (n) => ({ text: spec({ destination: `compression = ${n}` }), line: `compression = ${n}` }),
  "start_from word": (n) => ({ text: spec({ source: `start_from = ${n}` }), line: `start_from = ${n}` }),
  "password function": (n) => ({ text: spec().replace('env("DB_PASSWORD")', `${n}("DB_PASSWORD")`), line: `= ${n}("DB_PASSWORD")` }),
  "tls function": (n) => ({ text: spec({ source: `tls = ${n}("ca.pem")` }), line: `tls = ${n}(` }),
  "partition function": (n) => ({ text: spec({ pipeline: `partition = ${n}("id")` }), line: `partition = ${n}(` }),
  "start_from function": (n) => ({ text: spec({ source: `start_from = ${n}("mysql-bin.000001", 4)` }), line: `start_from = ${n}(` }),
  "table label function": (n) => ({ text: spec({ databases: `database "shop" {\n  table ${n}("x") {}\n}` }), line: `table ${n}(` }),
  "duration unit": (n) => ({ text: spec({ pipeline: `retry_window = 1${n}` }), line: `retry_window = 1${n}` }),
  "size unit": (n) => ({ text: spec({ pipeline: `initial_sync {\n  max_bytes_per_second = 1${n}\n}` }), line: `max_bytes_per_second = 1${n}` }),
};

const input = (text: string): FuzzInput => ({ files: [{ file: "names.dts", text }] });

const every = <T>(places: Record<string, T>) => Object.keys(places).flatMap((place) => prototypeNames.map((name) => ({ place, name })));
/** A unit is letters glued to a number; `1__proto__` is a number and a name, a different mistake. */
const unitPlaces = new Set(["duration unit", "size unit"]);

export const prototypeNameProperties: Properties = {
  "as names they compile and reach the plan verbatim": async (sandbox: Sandbox) => {
    const cases = every(namePlaces).filter(({ place, name }) => namePlaces[place]?.accepts?.(name) ?? true);
    const build = ({ place, name }: { place: string; name: string }) => input((namePlaces[place] as NamePlace).build(name));
    await assertEveryCase(
      "prototype names as names",
      cases,
      async (x) => {
        const outcome = await sandbox.check(build(x));
        const problems = [...outcome.violations];
        const errors = outcome.diagnostics.filter((d) => d.severity === "error");
        if (errors.length) return [...problems, ...errors.map((d) => `rejected with ${d.code} at ${d.line}:${d.column}: ${d.message}`)];
        if (outcome.planJson === null) return [...problems, "no plan although no error was reported"];
        // JSON.parse keeps "__proto__" as an own key, so a name lost on the way shows up here.
        const place = namePlaces[x.place] as NamePlace;
        const actual = JSON.stringify(place.read(JSON.parse(outcome.planJson) as Plan));
        const expected = JSON.stringify(place.expected(x.name));
        if (actual !== expected) problems.push(`the plan holds ${actual} instead of ${expected}`);
        return problems;
      },
      build,
      (x) => `${x.name} as the ${x.place}`,
      (x) => `as the ${x.place}`,
    );
  },

  "as attributes, blocks, functions, words and units they are reported on their line": async (sandbox: Sandbox) => {
    const build = ({ place, name }: { place: string; name: string }) => input(keywordPlaces[place]!(name).text);
    await assertEveryCase(
      "prototype names as keywords",
      every(keywordPlaces).filter(({ place, name }) => !unitPlaces.has(place) || /^[A-Za-z]+$/.test(name)),
      async (x) => {
        const { text, line } = keywordPlaces[x.place]!(x.name);
        const outcome = await sandbox.check(input(text));
        const at = lineOf(text, line);
        const reported = outcome.diagnostics.some((d) => d.severity === "error" && d.line === at);
        const others = outcome.diagnostics.map((d) => `${d.code} at ${d.line}:${d.column}`).join(", ") || "nothing";
        return [...outcome.violations, ...(reported ? [] : [`no error on line ${at} (${JSON.stringify(line)}); reported: ${others}`])];
      },
      build,
      (x) => `${x.name} as a ${x.place}`,
      (x) => `as a ${x.place}`,
    );
  },
};
