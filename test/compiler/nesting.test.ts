// Deeply nested specs and long runs of syntax errors: a diagnostic where the limit is crossed,
// never "Maximum call stack size exceeded" (DTS3999 at 1:1) or a stack trace from fmt.
import { describe, expect, it } from "vitest";
import { compile, formatSource } from "../../src/compiler/index.js";
import { parseFilter } from "../../src/compiler/filter/parser.js";

const head = 'pipeline "p" {\n  source mysql { host = "h" user = "u" }\n  destination kafka { brokers = ["k:9092"] topic = "t" }\n';

function diagnose(text: string) {
  return compile([{ file: "deep.dts", text }]).diagnostics.map((d) => ({ code: d.code, at: `${d.span.line}:${d.span.column}` }));
}

/** `levels` of `open` inside the pipeline block, which is level 1. */
function nested(open: string, close: string, levels: number, inner = "1"): string {
  return `${head}x = ${open.repeat(levels - 1)}${inner}${close.repeat(levels - 1)}\n}\n`;
}

describe("nesting limit (DTS1006)", () => {
  const kinds: [string, string, string][] = [
    ["lists", "[", "]"],
    ["maps", "{ a = ", " }"],
    ["calls", "f(", ")"],
  ];
  it.each(kinds)("%s: 64 levels parse, the 65th bracket is reported where it opens", (_, open, close) => {
    expect(diagnose(nested(open, close, 64)).map((d) => d.code)).not.toContain("DTS1006");
    const deep = diagnose(nested(open, close, 65));
    expect(deep).toContainEqual({ code: "DTS1006", at: `4:${5 + 63 * open.length + open.search(/[[{(]/)}` });
  });

  it("blocks nested thousands deep, and fmt on them", () => {
    const text = `${"a {\n".repeat(5000)}${"}\n".repeat(5000)}`;
    expect(diagnose(text)).toEqual([{ code: "DTS1006", at: "65:3" }]);
    const formatted = formatSource("deep.dts", text);
    expect(formatted.ok).toBe(false);
    if (!formatted.ok) expect(formatted.diagnostics.map((d) => d.code)).toEqual(["DTS1006"]);
  });

  it.each([
    ["lists", 10_000, "[", "]"],
    ["calls", 10_000, "f(", ")"],
    ["unclosed blocks", 10_000, "a { ", ""],
  ])("%s %i deep: a diagnostic, not an internal error", (_, levels, open, close) => {
    const codes = diagnose(nested(open, close, levels)).map((d) => d.code);
    expect(codes).toContain("DTS1006");
    expect(codes).not.toContain("DTS3999");
  });
});

describe("row filter nesting limit (DTS1105)", () => {
  it("counts NOT and parentheses; the parentheses of filter = ( ... ) are not a level", () => {
    expect(parseFilter(`${"NOT ".repeat(64)}a = 1`).ok).toBe(true);
    expect(parseFilter(`(${"NOT ".repeat(64)}a = 1)`, { parenthesised: true }).ok).toBe(true);
    const result = parseFilter(`${"(".repeat(65)}a = 1${")".repeat(65)}`);
    expect(result.ok ? null : { kind: result.error.kind, start: result.error.start }).toEqual({ kind: "nesting", start: 64 });
  });

  it.each([
    ["NOT", `${"NOT ".repeat(20_000)}a = 1`],
    ["parentheses", `${"(".repeat(20_000)}a = 1${")".repeat(20_000)}`],
  ])("%s 20,000 deep in a spec: DTS1105", (_, condition) => {
    const codes = diagnose(`${head}database "d" { table "t" { filter = (${condition}) } }\n}\n`).map((d) => d.code);
    expect(codes).toEqual(["DTS1105"]);
  });
});

describe("many syntax errors", () => {
  it("a long run of errors in one block stops the parser instead of overflowing the stack", () => {
    const codes = diagnose(`${head}${"x = ".repeat(20_000)}\n}\n`).map((d) => d.code);
    expect(codes).not.toContain("DTS3999");
    expect(codes[0]).toBe("DTS1003");
  });

  it("labels and list items recover the same way", () => {
    for (const text of [`a ${'"x" = '.repeat(20_000)}{}`, `${head}x = [${"= ".repeat(20_000)}]\n}\n`]) {
      expect(diagnose(text).map((d) => d.code)).not.toContain("DTS3999");
    }
  });
});
