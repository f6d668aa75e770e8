// Call arguments may end with a comma, as list items may: dts fmt writes a call holding a
// multi-line list one argument per line, each followed by a comma, and its output must parse.
import { describe, expect, it } from "vitest";
import { compile, formatSource } from "../../src/compiler/index.js";

const spec = (partition: string) => `pipeline "p" {
  partition = ${partition}
  source mysql { host = "h" user = "u" }
  destination kafka { brokers = ["k:9092"] topic = "t" }
  database "d" {}
}
`;

describe("call arguments", () => {
  it("may end with a comma", () => {
    const withComma = compile([{ file: "c.dts", text: spec('columns("tenant_id", "id",)') }]);
    expect(withComma.diagnostics).toEqual([]);
    expect(withComma.plan?.pipelines[0]?.partition).toEqual({ policy: "columns-hash", columns: ["tenant_id", "id"] });
  });

  it("so fmt's layout of a call around a long list parses again", () => {
    const long = `x = f([${Array.from({ length: 12 }, (_, i) => `"item-number-${i}"`).join(", ")}])`;
    const formatted = formatSource("c.dts", `a {\n  ${long}\n}\n`);
    expect(formatted.ok).toBe(true);
    if (!formatted.ok) return;
    expect(formatted.text).toContain("],\n  )");
    expect(compile([{ file: "c.dts", text: formatted.text }]).diagnostics.map((d) => d.code)).not.toContain("DTS1003");
  });
});
