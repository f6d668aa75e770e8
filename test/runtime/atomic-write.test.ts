// An atomic write that fails (a full disk) leaves the old file as it was and no temporary file
// behind: each failed checkpoint or status write would otherwise leave one for good.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/runtime/checkpoint/file-store.js";

function folder(): string {
  return mkdtempSync(join(tmpdir(), "dts-atomic-"));
}

describe("writeFileAtomic", () => {
  it("removes its temporary file when the disk is full, and throws the write's error", () => {
    const dir = folder();
    const path = join(dir, "checkpoint.json");
    writeFileSync(path, "old\n");
    // The temporary file's name leads to /dev/full, where every write fails with ENOSPC.
    symlinkSync("/dev/full", `${path}.tmp-${process.pid}`);
    expect(() => writeFileAtomic(path, "new\n", true)).toThrow(expect.objectContaining({ code: "ENOSPC" }));
    expect(readdirSync(dir)).toEqual(["checkpoint.json"]);
    expect(readFileSync(path, "utf8")).toBe("old\n");
  });

  it("removes its temporary file when the rename fails", () => {
    const dir = folder();
    const path = join(dir, "status.json");
    mkdirSync(join(path, "in-the-way"), { recursive: true });
    expect(() => writeFileAtomic(path, "{}\n", false)).toThrow();
    expect(existsSync(`${path}.tmp-${process.pid}`)).toBe(false);
  });

  it("replaces the file", () => {
    const path = join(folder(), "status.json");
    writeFileAtomic(path, "one\n", false);
    writeFileAtomic(path, "two\n", true);
    expect(readFileSync(path, "utf8")).toBe("two\n");
    expect(readdirSync(join(path, ".."))).toEqual(["status.json"]);
  });
});
