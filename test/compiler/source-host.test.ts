// A single-string source host is read as one entry of a host list: "host:port" splits, and a
// string that is no host name, address or host:port is DTS2034 at the string itself.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";

const spec = (host: string, extra = "") => `pipeline "p" {
  source mysql {
    host     = ${host}${extra}
    user     = "u"
    password = env("PW")
  }
  destination kafka {
    brokers = ["k:9092"]
    topic   = "t"
  }
  database "d" {}
}
`;

const sourceOf = (text: string) => {
  const { plan, diagnostics } = compile([{ file: "a.dts", text }]);
  expect(diagnostics).toEqual([]);
  return plan?.pipelines[0]?.source;
};

describe("a single-string source host", () => {
  it("splits host:port, the written port winning over the block's port as a list entry's does", () => {
    expect(sourceOf(spec('"127.0.0.1:3306"'))).toMatchObject({ host: "127.0.0.1", port: 3306 });
    expect(sourceOf(spec('"db.example.com:3307"'))).toMatchObject({ host: "db.example.com", port: 3307 });
    expect(sourceOf(spec('"db:3307"', "\n    port = 3306"))).toMatchObject({ host: "db", port: 3307 });
    expect(sourceOf(spec('"[::1]:3307"'))).toMatchObject({ host: "::1", port: 3307 });
  });

  it("keeps a host name, a bare IPv6 address and env() as they are", () => {
    expect(sourceOf(spec('"db.example.com"', "\n    port = 3310"))).toMatchObject({ host: "db.example.com", port: 3310 });
    expect(sourceOf(spec('"::1"'))).toMatchObject({ host: "::1", port: 3306 });
    expect(sourceOf(spec('env("DB_HOST")'))).toMatchObject({ host: { env: "DB_HOST" }, port: 3306 });
  });

  for (const bad of ['"h x"', '"h:99999"', '"h:0"', '"-h"', '"[::1"', '"a\\tb"', '"a\\u0000b"', '"db:33:06"']) {
    it(`reports ${bad} as DTS2034 at the string`, () => {
      const { plan, diagnostics } = compile([{ file: "a.dts", text: spec(bad) }]);
      expect(plan).toBeNull();
      expect(diagnostics).toEqual([expect.objectContaining({ code: "DTS2034", message: expect.stringMatching(/is not a host name or host:port/), span: expect.objectContaining({ line: 3, column: 16 }) })]);
    });
  }
});
