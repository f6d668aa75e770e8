// dts test --update: expectations written from the actual messages, the rest of the file kept
// byte for byte, the result laid out as dts fmt lays it out, and a second run changing nothing.
import { describe, expect, it } from "vitest";
import { formatSource } from "../../src/compiler/index.js";
import { updateExpectations } from "../../src/spec-test/index.js";
import { ordersTable, readText, runText } from "./helpers.js";

const shipped = ["specs/minimal.test.dts", "specs/full.test.dts", "specs/migrate.test.dts", "specs/demo.test.dts", "specs/many-to-one/shards.test.dts"];

async function update(text: string, specs?: Record<string, string>, file?: string): Promise<string> {
  return updateExpectations(text, (await runText(text, specs, file)).cases);
}

describe("dts test --update", () => {
  it.each(shipped)("writes %s's expectations back exactly as shipped", async (file) => {
    const text = readText(file);
    const specs = new Proxy({}, { get: (_t, path: string) => readText(path) }) as Record<string, string>;
    const report = await runText(text, specs, file);
    // No messages: every expect block goes; then the update writes them again.
    const stripped = updateExpectations(text, report.cases.map((c) => ({ ...c, status: "failed" as const, actual: [], testCase: c.testCase })));
    expect(stripped).not.toContain("expect ");
    const rewritten = await update(stripped, specs, file);
    expect(rewritten).toBe(text);
    expect(await update(rewritten, specs, file)).toBe(rewritten);
    const formatted = formatSource(file, rewritten);
    expect(formatted.ok && formatted.text).toBe(rewritten);
  });

  it("keeps the fields an expectation chose and refreshes their values", async () => {
    const text = `# a comment that stays\ntest "c" {\n${ordersTable}\n  insert "shop.orders" {\n    id     = 1\n    status = "paid"\n  }\n\n  expect "shop.orders" {\n    value = { after = {} }\n  }\n}\n`;
    const updated = await update(text);
    expect(updated).toBe(text.replace("value = { after = {} }", 'value = { after = { id = "1", status = "paid", total = null, at = null } }'));
    expect((await runText(updated)).cases[0]?.status).toBe("passed");
  });

  it("adds the messages of a case without expectations, and keeps CRLF line endings", async () => {
    const text = `test "c" {\r\n${ordersTable.replaceAll("\n", "\r\n")}\r\n  insert "shop.orders" {\r\n    id     = 1\r\n    status = "paid"\r\n  }\r\n}\r\n`;
    const updated = await update(text);
    expect(updated.startsWith(text.slice(0, -3))).toBe(true);
    expect(updated.replaceAll("\r\n", "")).not.toContain("\n");
    expect(updated).toContain('  expect "shop.orders" {\r\n    partition = 0\r\n    key       = ["shop", "orders", "1"]\r\n');
    expect(await update(updated)).toBe(updated);
  });

  it("leaves a passing case as it is, comments and layout included", async () => {
    const text = `test "c" {\n${ordersTable}\n  insert "shop.orders" {\n    id     = 1\n    status = "paid"\n  }\n\n  expect "shop.orders" {\n    # only the status matters here\n    value = { after = { id = "1", status = "paid", total = null, at = null } } # kept\n  }\n}\n`;
    expect((await runText(text)).cases[0]?.status).toBe("passed");
    expect(await update(text)).toBe(text);
  });

  it("rewrites only the blocks that differ, keeping the comments of a rewritten block above it", async () => {
    const blocks = (first: string, second: string) =>
      `  expect "shop.orders" {\n    # the insert\n    value = { after = { id = "1", status = ${first}, total = null, at = null } }\n  }\n\n  # between\n  expect "shop.orders" {\n    value = { after = { id = "1", status = ${second}, total = null, at = null } } # the update\n  }\n`;
    const text = (b: string) => `test "c" {\n${ordersTable}\n  insert "shop.orders" {\n    id     = 1\n    status = "paid"\n  }\n\n  update "shop.orders" {\n    before { id = 1 }\n    after { status = "new" }\n  }\n\n${b}}\n`;
    const failing = text(blocks('"paid"', '"paid"'));
    const updated = await update(failing);
    // The update leaves the spec's filter (status = paid): a delete.
    const fixed = '  # the update\n  expect "shop.orders" {\n    value = { after = null }\n';
    expect(updated).toBe(text(blocks('"paid"', '"paid"').replace(/  expect "shop.orders" \{\n.*# the update\n/, fixed)));
    expect((await runText(updated)).cases[0]?.status).toBe("passed");
    expect(await update(updated)).toBe(updated);
  });

  it("leaves a case that did not run as it is", async () => {
    const text = `test "broken" {\n${ordersTable}  insert "shop.orders" { id = "x" }\n\n  expect "shop.orders" {}\n}\n`;
    expect(await update(text)).toBe(text);
  });
});
