import { describe, expect, it } from "vitest";
import { compile, formatSource } from "../../src/compiler/index.js";

function fmt(text: string): string {
  const result = formatSource("x.dts", text);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.text;
}

function comments(text: string): string[] {
  return (text.match(/(#|\/\/)[^\n]*|\/\*[\s\S]*?\*\//g) ?? []).map((c) => c.trim()).sort();
}

const messy = `# header comment

pipeline   "p"{   # after the brace
  mode=sync
  format  =  canal-json # trailing
  // a leading comment

  retry_window=12h
  source mysql { host = "db"  user = env("U") }
  destination kafka {
    brokers = [ # first broker next
      "a:9092", # a
      "b:9092",
      # dangling inside the list
    ]
    topic   = "t"
  }
  database "d" {
    table "x" {
      columns { rename = { a = "b",  "c d" : "e" } }
      filter = (a = 1   AND b = 'x') /* block comment */
    }
    # closing comment of database
  } # after database
}
`;

describe("dts fmt", () => {
  it("lays out a messy spec canonically", () => {
    expect(fmt(messy)).toBe(`# header comment

pipeline "p" { # after the brace
  mode   = sync
  format = canal-json # trailing
  // a leading comment

  retry_window = 12h

  source mysql {
    host = "db"
    user = env("U")
  }

  destination kafka {
    brokers = [
      # first broker next
      "a:9092", # a
      "b:9092",
      # dangling inside the list
    ]
    topic   = "t"
  }

  database "d" {
    table "x" {
      columns {
        rename = { a = "b", "c d" = "e" }
      }

      filter = (a = 1   AND b = 'x') /* block comment */
    }
    # closing comment of database
  } # after database
}
`);
  });

  it("is idempotent on the messy spec and keeps every comment", () => {
    const once = fmt(messy);
    expect(fmt(once)).toBe(once);
    expect(comments(once)).toEqual(comments(messy));
  });

  it("keeps comments in odd places by moving them next to their item", () => {
    const text = `pipeline "p" {
  partition = columns( # why these columns
    "a", "b")
  database # which one
  "d" {}
}
`;
    const once = fmt(text);
    expect(comments(once)).toEqual(comments(text));
    expect(fmt(once)).toBe(once);
  });

  it("breaks long lists over lines", () => {
    const brokers = Array.from({ length: 8 }, (_, i) => `"kafka-broker-${i}.example.internal:9092"`).join(", ");
    const once = fmt(`x { brokers = [${brokers}] }\n`);
    expect(once.split("\n").length).toBeGreaterThan(9);
    expect(fmt(once)).toBe(once);
  });

  it("keeps at most one blank line and separates top-level blocks", () => {
    expect(fmt(`a {}\nb {}\n\n\n\nc = 1\n`)).toBe(`a {}\n\nb {}\n\nc = 1\n`);
  });

  it("keeps characters a reviewer cannot see as escapes, and the meaning as it was", () => {
    const text = 'pipeline "p" {\n  source mysql {\n    host = "db"\n    user = "u\\u202e\\u200b\\u00a0\\u0085\\u007f\\u2028\\ufeff\\u{E0001} \\b\u00e9"\n  }\n  destination kafka {\n    brokers = ["k:9092"]\n    topic = "t"\n  }\n  database "d" {}\n}\n';
    const formatted = formatSource("s.dts", text);
    expect(formatted.ok && formatted.text).toContain('user = "u\\u202e\\u200b\\u00a0\\u0085\\u007f\\u2028\\ufeff\\u{E0001} \\b\u00e9"');
    // The plan without where each item was written (formatting moves lines).
    const plan = (source: string) => JSON.stringify(compile([{ file: "s.dts", text: source }]).plan, (key, value: unknown) => (key === "origin" ? undefined : value));
    expect(plan(formatted.ok ? formatted.text : "")).toEqual(plan(text));
  });

  it("refuses to format a file with syntax errors", () => {
    const result = formatSource("x.dts", "pipeline \"p\" { mode = }");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]?.code).toBe("DTS1003");
  });

  it("prints an empty or comment-only file", () => {
    expect(fmt("")).toBe("");
    expect(fmt("  # only a comment  \n\n")).toBe("# only a comment\n");
  });
});
