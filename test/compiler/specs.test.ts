// The example specs in specs/ are documentation and end-to-end inputs: they must compile
// without a single diagnostic (each folder of specs together) and be formatted.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatSource } from "../../src/compiler/index.js";

const root = join(import.meta.dirname, "../..");
const specsDir = join(root, "specs");

/** The specs of a folder; spec tests (`.test.dts`) are not specs (test/spec-test/ runs them). */
function dtsFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".dts") && !f.endsWith(".test.dts")).sort().map((f) => join(dir, f));
}

const groups = [specsDir, ...readdirSync(specsDir).map((d) => join(specsDir, d)).filter((d) => statSync(d).isDirectory())];

describe("specs/", () => {
  it("has the minimal, full, migration, demo and many-to-one examples", () => {
    const names = groups.flatMap(dtsFiles).map((f) => relative(specsDir, f));
    expect(names).toEqual(expect.arrayContaining(["minimal.dts", "full.dts", "migrate.dts", "demo.dts", "many-to-one/eu.dts", "many-to-one/us.dts"]));
  });

  for (const dir of groups) {
    const files = dtsFiles(dir);
    for (const path of files) {
      it(`${relative(root, path)} compiles clean and is formatted`, () => {
        const text = readFileSync(path, "utf8");
        const result = compile([{ file: relative(root, path), text }], { strict: true });
        expect(result.diagnostics).toEqual([]);
        expect(result.plan).not.toBeNull();
        const formatted = formatSource(path, text);
        expect(formatted.ok && formatted.text).toBe(text);
      });
    }
    if (files.length > 1 && dir !== specsDir) {
      it(`${relative(root, dir)}/ compiles clean as one set`, () => {
        const result = compile(files.map((f) => ({ file: relative(root, f), text: readFileSync(f, "utf8") })), { strict: true });
        expect(result.diagnostics).toEqual([]);
        expect(result.plan?.pipelines.length).toBe(files.length);
      });
    }
  }

  it("all top-level specs compile together (distinct names, ids and topics)", () => {
    const files = dtsFiles(specsDir);
    const result = compile(files.map((f) => ({ file: relative(root, f), text: readFileSync(f, "utf8") })));
    expect(result.diagnostics).toEqual([]);
  });

  it("demo.dts targets the local stack", () => {
    const result = compile([{ file: "specs/demo.dts", text: readFileSync(join(specsDir, "demo.dts"), "utf8") }]);
    const demo = result.plan?.pipelines[0];
    expect(demo?.destination).toMatchObject({ brokers: ["127.0.0.1:9092"], topic: "demo.changes", createTopics: { enabled: true } });
    expect(demo?.format).toBe("dts-avro");
    expect(demo?.source).toMatchObject({ host: "127.0.0.1", port: 3306, user: { env: "MYSQL_USER" }, password: { env: "MYSQL_PASSWORD" } });
    expect(demo?.objects.map((o) => o.table)).toEqual([{ exact: "customers" }, { exact: "orders" }, { exact: "order_items" }]);
  });
});
