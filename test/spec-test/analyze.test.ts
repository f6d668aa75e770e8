// A test file gets the spec language's diagnostics, each at its file:line:col, and a case with a
// problem is an error while the others still run.
import { describe, expect, it } from "vitest";
import { diagnosticLines, ordersTable, runText } from "./helpers.js";

const wrap = (body: string) => `test "c" {\n${ordersTable}${body}}\n`;

describe("test file analysis", () => {
  it("reports a syntax error as dts check does", async () => {
    const report = await runText(`test "c" {\n  insert "shop.orders" { id = }\n}\n`);
    expect(diagnosticLines(report)[0]).toMatch(/^t\.test\.dts:2:31 DTS1003 /);
    expect(report.cases).toEqual([]);
  });

  it("suggests the closest name for unknown attributes and blocks", async () => {
    const report = await runText(`test "c" {\n  pipline = "shop"\n  insrt "shop.orders" {}\n}\nfoo {}\n`);
    expect(diagnosticLines(report)).toEqual([
      "t.test.dts:2:3 DTS2001 unknown attribute pipline in a test block",
      "t.test.dts:3:3 DTS2002 unknown block insrt in a test block",
      "t.test.dts:5:1 DTS2002 unknown block foo in a test file",
    ]);
    expect(report.diagnostics.map((d) => d.hint)).toEqual(["did you mean pipeline?", "did you mean insert?", "a test file accepts: specs, test"]);
  });

  it("points inside the CREATE TABLE string at what it cannot read", async () => {
    const report = await runText(`test "c" {\n  table "shop.orders" {\n    create = "CREATE TABLE orders (id INT, x FOO)"\n  }\n}\n`);
    expect(diagnosticLines(report)).toEqual(["t.test.dts:3:46 DTS2004 CREATE TABLE: column type FOO is not supported by dts test"]);
    expect(report.diagnostics[0]?.span.endColumn).toBe(49);
  });

  it("points into the right line of a CREATE TABLE written as a list", async () => {
    const report = await runText(`test "c" {\n  table "shop.orders" {\n    create = [\n      "CREATE TABLE orders (",\n      "  id INT,",\n      "  x  FOO",\n      ")",\n    ]\n  }\n}\n`);
    expect(diagnosticLines(report)).toEqual(["t.test.dts:6:13 DTS2004 CREATE TABLE: column type FOO is not supported by dts test"]);
  });

  it("names unknown tables and columns with a did-you-mean", async () => {
    const report = await runText(wrap(`  insert "shop.order" { id = 1 }\n  insert "shop.orders" {\n    id = 1\n    stauts = "paid"\n  }\n`));
    expect(diagnosticLines(report)).toEqual(["t.test.dts:5:10 DTS2005 the case describes no table shop.order", "t.test.dts:8:5 DTS2001 shop.orders has no column stauts"]);
    expect(report.diagnostics.map((d) => d.hint)).toEqual(["did you mean shop.orders?", "did you mean status?"]);
    expect(report.cases[0]?.status).toBe("error");
  });

  it("reports values that do not fit their column at the value", async () => {
    const report = await runText(wrap(`  insert "shop.orders" {\n    id     = 1\n    status = "sent"\n    total  = 1.234\n    at     = "2024-01-01"\n  }\n`));
    expect(diagnosticLines(report)).toEqual([
      't.test.dts:7:14 DTS2004 "sent" is not one of status\'s labels: new, paid',
      "t.test.dts:8:14 DTS2004 1.234 has more than the 2 fraction digit(s) of decimal(8,2)",
      't.test.dts:9:14 DTS2004 at is TIMESTAMP: write "YYYY-MM-DD HH:MM:SS[.ffffff]", wall-clock time in the case\'s time zone',
    ]);
  });

  it("asks for NOT NULL columns and refuses an insert over an existing key", async () => {
    const report = await runText(wrap(`  insert "shop.orders" { id = 2 }\n  insert "shop.orders" {\n    id     = 1\n    status = "new"\n  }\n  insert "shop.orders" {\n    id     = 1\n    status = "new"\n  }\n`));
    expect(diagnosticLines(report)).toEqual([
      "t.test.dts:5:3 DTS2006 the row gives no value for NOT NULL column(s) status",
      "t.test.dts:10:3 DTS2003 the case already holds a row with this key in shop.orders: the insert would fail on the server",
    ]);
  });

  it("checks the case's settings", async () => {
    const report = await runText(`test "c" {\n  pipeline   = "shp"\n  timezone   = "Mars/Base"\n  time       = "yesterday"\n  partitions = { "shop.orders" = 0 }\n}\n`);
    expect(diagnosticLines(report)).toEqual([
      "t.test.dts:3:16 DTS2029 unknown time zone \"Mars/Base\"",
      "t.test.dts:4:16 DTS2030 time \"yesterday\" cannot be read",
      "t.test.dts:5:34 DTS2009 the partition count of shop.orders must be a whole number from 1 to 100000",
    ]);
  });

  it("names the pipelines when the case names none of them", async () => {
    const report = await runText(`test "c" {\n  pipeline = "shp"\n}\n`);
    expect(diagnosticLines(report)).toEqual(['t.test.dts:2:3 DTS2005 no pipeline named "shp"; the specs declare: shop (did you mean shop?)']);
  });

  it("says where the spec it tests is missing", async () => {
    const report = await runText(`test "c" {}\n`, {});
    expect(diagnosticLines(report)).toEqual(["t.test.dts:1:1 DTS2006 cannot read the spec t.dts that this test file tests"]);
    const named = await runText(`specs = ["eu.dts"]\ntest "c" {}\n`, {});
    expect(diagnosticLines(named)).toEqual(["t.test.dts:1:1 DTS2006 cannot read the spec eu.dts that this test file tests"]);
  });

  it("shows the spec's own diagnostics, with the spec's file", async () => {
    const report = await runText(`test "c" {}\n`, { "t.dts": `pipeline "p" { partiton = table-hash }\n` });
    expect(diagnosticLines(report)).toContain("t.dts:1:16 DTS2001 unknown attribute partiton in a pipeline block");
    expect(report.cases[0]?.status).toBe("error");
  });

  it("runs the cases without problems beside one with a problem", async () => {
    const report = await runText(`${wrap(`  insert "shop.orders" { id = "x" }\n`)}\ntest "fine" {}\n`);
    expect(report.cases.map((c) => c.status)).toEqual(["error", "passed"]);
  });
});
