// A schema registry change is breaking only when DTS Avro values start or stop carrying a schema
// id (the registry added or removed); another password, user or host is another connection.
// No password is ever shown, whether it is a reference or written in the URL.
import { describe, expect, it } from "vitest";
import { diffTexts, edit } from "./helpers.js";
import { shop } from "./mutations.js";

const withRegistry = (url: string, password: string | null) =>
  edit(shop, 'client_id = "shop"', `client_id = "shop"\n    schema_registry = "${url}"${password ? `\n    schema_registry_password = ${password}` : ""}`);

const base = withRegistry("https://svc@reg1:8081", 'env("SR_PASS_OLD")');
const summary = (next: string, from = base) => diffTexts(from, next).map((c) => [c.change, c.severity]);

describe("plan --diff on a schema registry", () => {
  it("calls a password rotation a caution and shows both references", () => {
    const changes = diffTexts(base, withRegistry("https://svc@reg1:8081", 'env("SR_PASS_NEW")'));
    expect(changes).toEqual([expect.objectContaining({ change: "schema registry changed", severity: "caution", line: 18 })]);
    expect(changes[0]?.from).toBe('https://svc@reg1:8081 (password env("SR_PASS_OLD"))');
    expect(changes[0]?.to).toBe('https://svc@reg1:8081 (password env("SR_PASS_NEW"))');
    expect(changes[0]?.why).toMatch(/reconnects with other schema registry credentials/);
  });

  it("calls another host or user a caution", () => {
    expect(summary(withRegistry("https://svc@reg2:8081", 'env("SR_PASS_OLD")'))).toEqual([["schema registry changed", "caution"]]);
    expect(summary(withRegistry("https://svc2@reg1:8081", 'env("SR_PASS_OLD")'))).toEqual([["schema registry changed", "caution"]]);
  });

  it("calls adding or removing the registry breaking", () => {
    expect(summary(shop)).toEqual([["schema registry changed", "breaking"]]);
    expect(summary(base, shop)).toEqual([["schema registry changed", "breaking"]]);
  });

  it("never shows a password written in the URL", () => {
    const literal = (password: string) => withRegistry(`https://svc:${password}@reg1:8081`, null);
    const changes = diffTexts(literal("hunter2"), literal("correct-horse"));
    expect(changes.map((c) => [c.change, c.severity])).toEqual([["schema registry changed", "caution"]]);
    expect(JSON.stringify(diffTexts(literal("hunter2"), withRegistry("https://svc@reg2:8081", 'env("P")')))).not.toMatch(/hunter2/);
    expect(JSON.stringify(changes)).not.toMatch(/hunter2|correct-horse/);
  });
});
