// Junk and huge files: `dts check` answers quickly with a bounded report instead of running out
// of memory. At most 100 diagnostics per file, then one note; excerpts cut around the column.
import { describe, expect, it } from "vitest";
import { compile, renderDiagnostics, type Diagnostic } from "../../src/compiler/index.js";
import { excerptLines } from "../../src/compiler/excerpt.js";
import { SourceText } from "../../src/compiler/source-text.js";
import { cpuMs } from "../cpu-time.js";

/** A deterministic one-line file of tokens and stray characters. */
function junk(length: number): string {
  const parts = ["@", "pipeline", "{", '"x"', "=", "}", "(", "[", "]", ",", "1", "%", "!", "abc", ":"];
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < length; i++) {
    const part = `${parts[(i * 7 + 3) % parts.length]} `;
    out.push(part);
    size += part.length;
  }
  return out.join("").slice(0, length);
}

function render(diagnostics: Diagnostic[], text: string, format: "text" | "json" | "github"): string {
  return renderDiagnostics(diagnostics, format, new Map([["junk.dts", text]]));
}

describe("huge and junk input", () => {
  it("a 1 MB one-line junk file is checked in a couple of seconds with a bounded report", () => {
    const text = junk(1_000_000);
    const started = cpuMs();
    const { diagnostics } = compile([{ file: "junk.dts", text }]);
    const outputs = (["text", "json", "github"] as const).map((format) => render(diagnostics, text, format));
    expect(cpuMs() - started).toBeLessThan(4000);

    const [plain, json, github] = outputs as [string, string, string];
    const lines = plain.split("\n");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(200);
    expect(lines.filter((line) => line.startsWith("junk.dts:")).length).toBe(101);
    expect(plain).toMatch(/junk\.dts:1:\d+: error DTS3998: \d+ more diagnostics in this file are not shown\n/);
    expect(plain).toMatch(new RegExp(`\n${diagnostics.length} errors\n$`));
    const flat = JSON.parse(json) as { code: string }[];
    expect(flat).toHaveLength(101);
    expect(flat[100]?.code).toBe("DTS3998");
    expect(github.trim().split("\n")).toHaveLength(101);
  });

  it("shows the first 100 diagnostics of each file and counts the rest", () => {
    const text = "@\n".repeat(150);
    const { diagnostics } = compile([{ file: "junk.dts", text }]);
    expect(diagnostics).toHaveLength(150);
    const plain = render(diagnostics, text, "text");
    expect(plain).toContain("junk.dts:100:1: error DTS1001");
    expect(plain).not.toContain("junk.dts:101:1: error DTS1001");
    expect(plain).toContain("junk.dts:101:1: error DTS3998: 50 more diagnostics in this file are not shown\n");
    expect(plain).toMatch(/\n150 errors\n$/);
  });

  it("cuts a long line to a window around the column, with … at each cut end", () => {
    const line = `${"a".repeat(1000)}ERR${"b".repeat(1000)}`;
    const source = new SourceText("f.dts", line);
    const [text, underline] = excerptLines(source, source.span(1000, 1003));
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text).toMatch(/^ {3}1 \| …a+ERRb+…$/);
    expect(underline.indexOf("^^^")).toBe(text.indexOf("ERR"));
    expect(underline.trimEnd().endsWith("^^^")).toBe(true);
  });

  it("keeps a span at the very end of a long line in view", () => {
    const line = `${"a".repeat(1000)}!`;
    const source = new SourceText("f.dts", line);
    const [text, underline] = excerptLines(source, source.span(1000, 1001));
    expect(text).toMatch(/^ {3}1 \| …a+!$/);
    expect(underline.indexOf("^")).toBe(text.indexOf("!"));
  });

  it("replaces control characters one for one, so the caret stays aligned", () => {
    const source = new SourceText("f.dts", "a\u001b[2Jb = x");
    const [text, underline] = excerptLines(source, source.span(7, 8));
    expect(text).toBe("   1 | a\uFFFD[2Jb = x");
    expect(underline.indexOf("^")).toBe(text.indexOf("="));
  });
});
