import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSecret, resolveSetting } from "../../src/runtime/secrets.js";

const setting = { name: "source password", pipeline: "orders" };

describe("resolveSecret", () => {
  it("reads env, file and literal references", () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-secret-"));
    const file = join(dir, "pw");
    writeFileSync(file, "from-file\n");
    expect(resolveSecret({ env: "PW" }, setting, undefined, { PW: "from-env" })).toBe("from-env");
    expect(resolveSecret({ file }, setting, undefined)).toBe("from-file");
    expect(resolveSecret({ literal: "redacted" }, setting, "lit")).toBe("lit");
    expect(resolveSecret(null, setting, undefined)).toBe(null);
    expect(resolveSecret("plain-user", setting, undefined)).toBe("plain-user");
  });

  it("explains a missing secret without revealing anything", () => {
    expect(() => resolveSecret({ env: "NOPE" }, setting, undefined, {})).toThrow(/NOPE, which is not set/);
    expect(() => resolveSecret({ literal: "redacted" }, setting, undefined)).toThrow(/literal in the spec/);
    expect(() => resolveSecret({ file: "/nonexistent/pw" }, setting, undefined)).toThrow(/cannot be read: ENOENT/);
  });

  it("reads non-secret settings from env", () => {
    expect(resolveSetting({ env: "PORT" }, setting, { PORT: "3307" })).toBe("3307");
    expect(resolveSetting(3306, setting)).toBe("3306");
    expect(() => resolveSetting({ env: "PORT" }, setting, {})).toThrow(/PORT/);
  });
});
