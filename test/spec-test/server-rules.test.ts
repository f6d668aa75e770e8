// A case's changes become what the server would log: a change that leaves a row as it was logs
// nothing, CHAR loses its trailing spaces, NULL never collides in a unique key, and a value the
// column cannot hold (too long, a character its charset lacks) is an error at the value.
import { describe, expect, it } from "vitest";
import { diagnosticLines, runText } from "./helpers.js";

const canalSpec = `pipeline "p" {
  format = canal-json

  source mysql {
    host     = "db"
    user     = "u"
    password = env("P")
  }

  destination kafka {
    brokers = ["k:9092"]
    topic   = "out"
  }

  database "db" {}
}
`;

const caseOf = (create: string, body: string) => `test "c" {\n  table "db.t" {\n    create = "${create}"\n  }\n${body}}\n`;

async function messages(create: string, body: string): Promise<Record<string, unknown>[]> {
  const report = await runText(caseOf(create, body), { "t.dts": canalSpec });
  expect(diagnosticLines(report)).toEqual([]);
  return (report.cases[0]?.actual ?? []).map((m) => m.value as Record<string, unknown>);
}

describe("changes as the server logs them", () => {
  const create = "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(10), c CHAR(4))";

  it("an update or a replace that changes nothing sends no message", async () => {
    const sent = await messages(create, `  insert "db.t" {\n    id = 1\n    v = "x"\n    c = "a"\n  }\n  update "db.t" {\n    before { id = 1 }\n    after { v = "x" }\n  }\n  update "db.t" {\n    before { id = 1 }\n    after { c = "a  " }\n  }\n  replace "db.t" {\n    id = 1\n    v = "x"\n    c = "a"\n  }\n  update "db.t" {\n    before { id = 1 }\n    after { v = "y" }\n  }\n`);
    expect(sent.map((m) => m.type)).toEqual(["INSERT", "UPDATE"]);
    expect(sent[1]?.old).toEqual([{ v: "x" }]);
  });

  it("CHAR values lose their trailing spaces; VARCHAR keeps them", async () => {
    const sent = await messages(create, `  insert "db.t" {\n    id = 1\n    v = "ab  "\n    c = "ab  "\n  }\n`);
    expect((sent[0]?.data as Record<string, unknown>[])[0]).toMatchObject({ v: "ab  ", c: "ab" });
  });

  it("spaces beyond the length are cut, as the server cuts them", async () => {
    const sent = await messages(create, `  insert "db.t" {\n    id = 1\n    v = "0123456789   "\n    c = "abcd  "\n  }\n`);
    expect((sent[0]?.data as Record<string, unknown>[])[0]).toMatchObject({ v: "0123456789", c: "abcd" });
  });

  it("rows whose nullable unique key is NULL do not collide", async () => {
    const sent = await messages("CREATE TABLE t (a INT NULL, b INT, UNIQUE(a))", `  insert "db.t" {\n    a = null\n    b = 1\n  }\n  insert "db.t" {\n    a = null\n    b = 2\n  }\n`);
    expect(sent.map((m) => m.type)).toEqual(["INSERT", "INSERT"]);
  });
});

describe("values the column cannot hold", () => {
  it("are errors at the value: length in characters or bytes, and the character set", async () => {
    const create = "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, vc VARCHAR(3), ch CHAR(2), l VARCHAR(5) CHARACTER SET latin1, a VARCHAR(5) CHARACTER SET ascii, m TEXT CHARACTER SET utf8mb3, tt TINYTEXT, vb VARBINARY(2), tb TINYBLOB)";
    const body = [
      `  insert "db.t" {`,
      `    id = 1`,
      `    vc = "abcdef"`,
      `    ch = "éé"`, // two characters fit CHAR(2), whatever their bytes
      `    l  = "😀Ā"`,
      `    a  = "é"`,
      `    m  = "😀"`,
      `    tt = "${"é".repeat(128)}"`,
      `    vb = "abc"`,
      `    tb = "${"z".repeat(256)}"`,
      `  }`,
      ``,
    ].join("\n");
    const report = await runText(caseOf(create, body), { "t.dts": canalSpec });
    expect(diagnosticLines(report)).toEqual([
      "t.test.dts:7:10 DTS2004 vc is varchar(3): 6 characters do not fit (at most 3)",
      't.test.dts:9:10 DTS2004 "😀" (U+1F600) is not in l\'s character set latin1: the server refuses the value',
      't.test.dts:10:10 DTS2004 "é" (U+00E9) is not in a\'s character set ascii: the server refuses the value',
      't.test.dts:11:10 DTS2004 "😀" (U+1F600) is not in m\'s character set utf8mb3: the server refuses the value',
      "t.test.dts:12:10 DTS2004 tt is tinytext: 256 bytes in utf8mb4 do not fit (at most 255)",
      "t.test.dts:13:10 DTS2004 vb is varbinary(2): 3 bytes do not fit (at most 2)",
      "t.test.dts:14:10 DTS2004 tb is tinyblob: 256 bytes do not fit (at most 255)",
    ]);
  });

  it("latin1 holds what MySQL's latin1 holds: cp1252 and the five C1 controls it leaves undefined", async () => {
    const sent = await messages("CREATE TABLE t (id INT NOT NULL PRIMARY KEY, l VARCHAR(5) CHARACTER SET latin1)", `  insert "db.t" {\n    id = 1\n    l = "é€\\u0081"\n  }\n`);
    expect((sent[0]?.data as Record<string, unknown>[])[0]).toMatchObject({ l: "é€\u0081" });
  });
});
