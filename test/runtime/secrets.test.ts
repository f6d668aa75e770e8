import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSecret, resolveSetting } from "../../src/runtime/secrets.js";

describe("resolveSecret", () => {
  it("reads env, file and literal references", () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-secret-"));
    const file = join(dir, "pw");
    writeFileSync(file, "from-file\n");
    expect(resolveSecret({ env: "PW" }, "/p", {}, { PW: "from-env" })).toBe("from-env");
    expect(resolveSecret({ file }, "/p", {})).toBe("from-file");
    expect(resolveSecret({ literal: "redacted" }, "/pipelines/0/source/password", { "/pipelines/0/source/password": "lit" })).toBe("lit");
    expect(resolveSecret(null, "/p", {})).toBe(null);
    expect(resolveSecret("plain-user", "/p", {})).toBe("plain-user");
  });

  it("explains a missing secret without revealing anything", () => {
    expect(() => resolveSecret({ env: "NOPE" }, "/pipelines/0/source/password", {}, {})).toThrow(/NOPE, which is not set/);
    expect(() => resolveSecret({ literal: "redacted" }, "/pipelines/0/source/password", {})).toThrow(/literal in the spec/);
    expect(() => resolveSecret({ file: "/nonexistent/pw" }, "/p", {})).toThrow(/cannot be read: ENOENT/);
  });

  it("reads non-secret settings from env", () => {
    expect(resolveSetting({ env: "PORT" }, "/p", { PORT: "3307" })).toBe("3307");
    expect(resolveSetting(3306, "/p")).toBe("3306");
    expect(() => resolveSetting({ env: "PORT" }, "/p", {})).toThrow(/PORT/);
  });
});
