// The literal forms a case writes per column type, through the runtime's converter and both
// encoders, read back as dts tail prints them.
import { describe, expect, it } from "vitest";
import { runText } from "./helpers.js";

const spec = (format: string) => `pipeline "types" {
  format = ${format}

  source mysql {
    host     = "db"
    user     = "u"
    password = env("P")
    timezone = "+08:00"
  }

  destination kafka {
    brokers = ["k:9092"]
    topic   = "types"
  }

  database "db" {}
}
`;

const testText = `test "every type" {
  table "db.t" {
    create = [
      "CREATE TABLE t (",
      "  id BIGINT UNSIGNED NOT NULL PRIMARY KEY, i TINYINT, b BIT(10), d DECIMAL(6,3), f FLOAT, g DOUBLE,",
      "  dt DATE, ts TIMESTAMP(2), dtm DATETIME(1), tm TIME(3), y YEAR, c CHAR(4), txt TEXT, bin BINARY(3), vb VARBINARY(8),",
      "  j JSON, e ENUM('a','b'), s SET('x','y','z'), ok BOOLEAN",
      ")",
    ]
  }

  insert "db.t" {
    id  = 18446744073709551615
    i   = -128
    b   = 5
    d   = -1.5
    f   = 0.5
    g   = 1e-3
    dt  = "2024-02-29"
    ts  = "2024-05-01 20:00:00.5"
    dtm = "2024-05-01 20:00:00"
    tm  = "-838:59:59"
    y   = 0
    c   = "héé"
    txt = "line\\nbreak"
    bin = hex("0102")
    vb  = "ab"
    j   = "{\\"a\\": [1, 2]}"
    e   = ""
    s   = "z,x"
    ok  = true
  }
}
`;

async function after(format: string): Promise<Record<string, unknown>> {
  const report = await runText(testText, { "t.dts": spec(format) });
  expect(report.diagnostics).toEqual([]);
  const message = report.cases[0]?.actual?.[0]?.value as Record<string, unknown>;
  return format === "dts-avro" ? (message.after as Record<string, unknown>) : ((message.data as Record<string, unknown>[])[0] as Record<string, unknown>);
}

describe("row values", () => {
  it("DTS Avro shows each literal form as the binlog would carry it", async () => {
    expect(await after("dts-avro")).toEqual({
      id: "18446744073709551615", i: "-128", b: "5", d: "-1.500", f: 0.5, g: 0.001,
      dt: "2024-02-29", ts: "2024-05-01T12:00:00.500000Z", dtm: "2024-05-01 20:00:00.000000", tm: "-838:59:59.000000", y: "0000",
      c: "héé", txt: "line\nbreak", bin: "0x010200", vb: "0x6162", j: '{"a": [1, 2]}', e: "", s: "x,z", ok: "1",
    });
  });

  it("Canal JSON renders TIMESTAMP in the source's zone", async () => {
    const data = await after("canal-json");
    expect(data).toMatchObject({ id: "18446744073709551615", ts: "2024-05-01 20:00:00.50", tm: "-838:59:59.000", y: "0000", e: "0", s: "5", ok: "1" });
  });

  it("a case's own time zone reads TIMESTAMP literals", async () => {
    const report = await runText(testText.replace('test "every type" {', 'test "every type" {\n  timezone = "+00:00"'), { "t.dts": spec("dts-avro") });
    const message = report.cases[0]?.actual?.[0]?.value as { after: Record<string, unknown> };
    expect(message.after.ts).toBe("2024-05-01T20:00:00.500000Z");
  });
});
