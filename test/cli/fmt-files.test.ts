// `dts fmt` on real files: line endings and BOM kept, files replaced in one step with their mode.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replaceFile } from "../../src/cli/replace-file.js";
import { runCli } from "./run-cli.js";

const minimal = readFileSync("specs/minimal.dts", "utf8");

function fixture(name: string, text: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "dts-fmt-files-"));
  const path = join(dir, name);
  writeFileSync(path, text);
  return { dir, path };
}

describe("dts fmt and line endings", () => {
  it("--check passes a canonical file with CRLF line endings, and one with a BOM", async () => {
    const crlf = fixture("crlf.dts", minimal.replace(/\n/g, "\r\n"));
    const bom = fixture("bom.dts", `\uFEFF${minimal}`);
    expect(await runCli("fmt", "--check", crlf.path, bom.path)).toMatchObject({ code: 0, stdout: "" });
  });

  it("rewrites a CRLF file with a BOM in CRLF with the BOM", async () => {
    const { path } = fixture("ugly.dts", '\uFEFFpipeline "p"{mode=sync # keep me\r\n}\r\n');
    expect((await runCli("fmt", path)).code).toBe(0);
    expect(readFileSync(path, "utf8")).toBe('\uFEFFpipeline "p" {\r\n  mode = sync # keep me\r\n}\r\n');
    expect((await runCli("fmt", "--check", path)).code).toBe(0);
  });
});

describe("dts fmt on a directory", () => {
  it("--check looks into the folders below it, dot folders and node_modules aside", async () => {
    const { dir } = fixture("ok.dts", minimal);
    for (const sub of ["a/b", ".git", "node_modules/x"]) mkdirSync(join(dir, sub), { recursive: true });
    for (const sub of [".git", "node_modules/x"]) writeFileSync(join(dir, sub, "ugly.dts"), 'pipeline "p"{mode=sync}\n');
    expect(await runCli("fmt", "--check", dir)).toMatchObject({ code: 0, stdout: "" });
    writeFileSync(join(dir, "a/b", "ugly.test.dts"), 'pipeline "p"{mode=sync}\n');
    expect(await runCli("fmt", "--check", dir)).toMatchObject({ code: 1, stdout: `${join(dir, "a/b", "ugly.test.dts")}: not formatted\n` });
  });
});

describe("dts fmt replaces files atomically", () => {
  it("keeps the file's mode, replaces it by rename and leaves no temporary file", async () => {
    const { dir, path } = fixture("ugly.dts", 'pipeline "p"{mode=sync}\n');
    chmodSync(path, 0o640);
    const before = statSync(path).ino;
    expect((await runCli("fmt", path)).code).toBe(0);
    expect(readFileSync(path, "utf8")).toBe('pipeline "p" {\n  mode = sync\n}\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(statSync(path).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(["ugly.dts"]);
  });

  it("through a symlink replaces the file it names and keeps the link", () => {
    const { dir, path } = fixture("real.dts", "old\n");
    const link = join(dir, "link.dts");
    symlinkSync("real.dts", link);
    replaceFile(link, "new\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("real.dts");
    expect(readFileSync(path, "utf8")).toBe("new\n");
  });

  it.skipIf(process.getuid?.() === 0)("reports a file it cannot write and leaves it unchanged", async () => {
    const { dir, path } = fixture("ugly.dts", 'pipeline "p"{mode=sync}\n');
    chmodSync(dir, 0o500);
    try {
      const result = await runCli("fmt", path);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${path}: cannot write the formatted file (EACCES); it is unchanged`);
      expect(readFileSync(path, "utf8")).toBe('pipeline "p"{mode=sync}\n');
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
