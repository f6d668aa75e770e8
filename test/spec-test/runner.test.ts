// The shipped spec tests pass, and each change a consumer would notice (format, partition policy,
// a rename, a column list, a filter, the time zone, the topic) makes one of them fail: the tests
// hold the specs, not just run them.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTestFile } from "../../src/spec-test/index.js";
import { readText } from "./helpers.js";

const testFiles = ["specs", "specs/many-to-one"].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".test.dts")).map((f) => join(dir, f)));

async function run(testFile: string, mutate?: { spec: string; from: string; to: string }) {
  return runTestFile(testFile, readText(testFile), (path) => {
    const text = readText(path);
    if (!mutate || path !== mutate.spec) return text;
    expect(text).toContain(mutate.from);
    return text.replace(mutate.from, mutate.to);
  });
}

describe("shipped spec tests", () => {
  it("cover every example spec", () => {
    const specs = ["specs", "specs/many-to-one"].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".dts") && !f.endsWith(".test.dts")).map((f) => join(dir, f)));
    const tested = new Set(testFiles.flatMap((f) => (f.includes("many-to-one") ? ["specs/many-to-one/eu.dts", "specs/many-to-one/us.dts"] : [f.replace(".test.dts", ".dts")])));
    expect(specs.filter((s) => !tested.has(s))).toEqual([]);
  });

  it.each(testFiles)("%s passes", async (file) => {
    const report = await run(file);
    expect(report.diagnostics).toEqual([]);
    expect(report.cases.length).toBeGreaterThan(0);
    expect(report.cases.filter((c) => c.status !== "passed").map((c) => c.name)).toEqual([]);
  });

  const mutations: [string, string, string, string][] = [
    ["specs/full.test.dts", "specs/full.dts", "format              = dts-avro", "format              = canal-json"],
    ["specs/full.test.dts", "specs/full.dts", "partition           = table-hash", "partition           = partition-zero"],
    ["specs/full.test.dts", "specs/full.dts", 'partition = columns("customer_id")', "partition = primary-key-hash"],
    ["specs/full.test.dts", "specs/full.dts", "partition = primary-key-hash", 'partition = columns("level")'],
    ["specs/full.test.dts", "specs/full.dts", 'rename = "shop_v2"', 'rename = "shop_v3"'],
    ["specs/full.test.dts", "specs/full.dts", 'rename = "clients"', 'rename = "customers"'],
    ["specs/full.test.dts", "specs/full.dts", 'rename  = { total = "amount_cents" }', 'rename  = { total = "amount" }'],
    ["specs/full.test.dts", "specs/full.dts", 'exclude = ["internal_note"]', "exclude = []"],
    ["specs/full.test.dts", "specs/full.dts", '"email", "country", ', '"email", '],
    ["specs/full.test.dts", "specs/full.dts", " AND total >= 10.50", ""],
    ["specs/full.test.dts", "specs/full.dts", " AND deleted = FALSE", ""],
    ["specs/full.test.dts", "specs/full.dts", "country NOT LIKE 'X%'", "country NOT LIKE 'Y%'"],
    ["specs/full.test.dts", "specs/full.dts", "'2024-01-01'", "'2023-01-01'"],
    ["specs/full.test.dts", "specs/full.dts", 'glob("tmp_*")', 'glob("temp_*")'],
    ["specs/full.test.dts", "specs/full.dts", 'match("^tenant_\\\\d+$")', 'match("^tenant_[a-z]+$")'],
    ["specs/full.test.dts", "specs/full.dts", "ddl                 = capture", "ddl                 = ignore"],
    ["specs/full.test.dts", "specs/full.dts", 'timezone   = "Asia/Shanghai"', 'timezone   = "UTC"'],
    ["specs/minimal.test.dts", "specs/minimal.dts", 'topic   = "inventory.changes"', 'topic   = "inventory.all"'],
    ["specs/minimal.test.dts", "specs/minimal.dts", 'database "inventory" {}', 'database "inventory" {\n    table "items" {}\n  }'],
    ["specs/migrate.test.dts", "specs/migrate.dts", "format              = canal-json", "format              = dts-avro"],
    ["specs/migrate.test.dts", "specs/migrate.dts", "partition           = table-hash", "partition           = primary-key-hash"],
    ["specs/migrate.test.dts", "specs/migrate.dts", "issued_at >= '2020-01-01'", "issued_at >= '2022-01-01'"],
    ["specs/migrate.test.dts", "specs/migrate.dts", 'exclude = ["card_token"]', 'exclude = ["paid_at"]'],
    ["specs/demo.test.dts", "specs/demo.dts", "partition = primary-key-hash", "partition = table-hash"],
    ["specs/demo.test.dts", "specs/demo.dts", "partitions = 3", "partitions = 4"],
    ["specs/demo.test.dts", "specs/demo.dts", "ddl       = capture", "ddl       = ignore"],
    ["specs/many-to-one/shards.test.dts", "specs/many-to-one/us.dts", 'rename = "shop"', 'rename = "shop_us"'],
    ["specs/many-to-one/shards.test.dts", "specs/many-to-one/eu.dts", "format    = canal-json", "format    = dts-avro"],
    ["specs/many-to-one/shards.test.dts", "specs/many-to-one/us.dts", "partition = primary-key-hash", "partition = table-hash"],
  ];

  it.each(mutations)("%s fails when %s changes %s", async (testFile, spec, from, to) => {
    const report = await run(testFile, { spec, from, to });
    expect(report.cases.some((c) => c.status !== "passed")).toBe(true);
  });
});
