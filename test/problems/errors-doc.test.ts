// docs/errors.md lists exactly the catalog's codes: it is generated from the catalog, and this
// test fails when the committed page is stale (ACCEPT=1 rewrites it).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalog, catalogMarkdown } from "../../src/problems/index.js";

const path = join(import.meta.dirname, "../../docs/errors.md");

describe("docs/errors.md", () => {
  it("is the catalog as generated now", () => {
    if (process.env["ACCEPT"] === "1") writeFileSync(path, catalogMarkdown());
    expect(readFileSync(path, "utf8"), "docs/errors.md is stale: ACCEPT=1 npx vitest run --project unit test/problems").toBe(catalogMarkdown());
  });

  it("lists every code of the catalog and no other", () => {
    const listed = [...readFileSync(path, "utf8").matchAll(/^\| (DTS\d{4}) \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(catalog.map((e) => e.code));
  });
});
