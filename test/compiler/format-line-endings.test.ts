// `dts fmt` changes layout, not the file's line endings or its byte-order mark.
import { describe, expect, it } from "vitest";
import { formatSource } from "../../src/compiler/index.js";
import { dominantLineEnding } from "../../src/compiler/line-endings.js";

function fmt(text: string): string {
  const result = formatSource("x.dts", text);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.text;
}

const canonical = `# shop
pipeline "p" {
  mode   = sync # trailing
  format = canal-json

  /* a block
     comment */
  retry_window = 12h
}
`;

describe("formatting keeps line endings and the BOM", () => {
  it.each([
    ["\\r\\n", "\r\n"],
    ["lone \\r", "\r"],
  ])("a canonical file with %s line endings is left as it is", (_, ending) => {
    const text = canonical.replace(/\n/g, ending);
    expect(fmt(text)).toBe(text);
  });

  it("a canonical file with a BOM is left as it is", () => {
    expect(fmt(`\uFEFF${canonical}`)).toBe(`\uFEFF${canonical}`);
    expect(fmt(`\uFEFF${canonical.replace(/\n/g, "\r\n")}`)).toBe(`\uFEFF${canonical.replace(/\n/g, "\r\n")}`);
  });

  it("reformats a CRLF file into CRLF, blank lines and comments kept", () => {
    const messy = 'pipeline   "p"{\r\n  mode=sync # trailing\r\n  format  =  canal-json\r\n\r\n\r\n  /* a block\r\n     comment */\r\n  retry_window=12h }\r\n';
    const formatted = fmt(`# shop\r\n${messy}`);
    expect(formatted).toBe(canonical.replace(/\n/g, "\r\n"));
  });

  it("writes the style most lines use when a file mixes them", () => {
    const mixed = 'pipeline "p" {\r\n  mode = sync\r\n  format = canal-json\n}\r\n';
    expect(fmt(mixed)).toBe('pipeline "p" {\r\n  mode   = sync\r\n  format = canal-json\r\n}\r\n');
  });

  it.each([
    ["", "\n"],
    ["a\nb\r\nc\n", "\n"],
    ["a\r\nb\r\nc\n", "\r\n"],
    ["a\rb\rc\n", "\r"],
    ["a\r\nb\n", "\n"],
  ])("the dominant line ending of %j is %j", (text, ending) => {
    expect(dominantLineEnding(text)).toBe(ending);
  });
});
