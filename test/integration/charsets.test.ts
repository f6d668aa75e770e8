// Columns in other character sets than utf8mb4 (GBK, Big5, Shift-JIS, cp1251, latin1, UTF-16/32,
// UCS-2; ENUM and SET labels, TEXT and CHAR) arrive as the same text whether the initial sync
// read them (the server converts to the connection's utf8mb4) or the stream did (the binlog
// holds each column's own bytes, which the pipeline decodes).
import { describe, expect, it } from "vitest";
import { decodeChanges, readSettled, rule, stopChild, uniqueName } from "./runtime-helpers.js";
import { replay, snapshotPlan, spawnRuntime, tableRows, waitForPhase } from "./snapshot-helpers.js";
import { useTestDatabase } from "./test-database.js";

// latin1 ends in 0x81, which Windows-1252 leaves undefined and MySQL reads as U+0081. koi8u,
// tis620, macroman and armscii8 hold bytes MySQL's tables read otherwise than iconv-lite's.
const VALUES = "'中文字符', 'Привет', _latin1 X'636166E920FC81', '中文字', '日本語カナ', '中文 é', 'Привет 中', 'ü 中', '文', 'é,ü', '中文字符 text', '中文', " +
  "_koi8u X'95A4', _tis620 X'80A1A2', _macroman X'BDDBF0', _armscii8 X'A1A2ADFE'";

describe("character sets other than utf8mb4", () => {
  const { database, db } = useTestDatabase("charsets", (database) => [
    `CREATE TABLE ${database}.cs (id INT PRIMARY KEY, g VARCHAR(20) CHARACTER SET gbk, r VARCHAR(20) CHARACTER SET cp1251, l VARCHAR(20) CHARACTER SET latin1,
       b VARCHAR(20) CHARACTER SET big5, s VARCHAR(20) CHARACTER SET sjis, u16 VARCHAR(20) CHARACTER SET utf16, u32 VARCHAR(20) CHARACTER SET utf32,
       uc VARCHAR(20) CHARACTER SET ucs2, e ENUM('中','文') CHARACTER SET gbk, st SET('é','ü') CHARACTER SET latin1, gt TEXT CHARACTER SET gbk, ch CHAR(5) CHARACTER SET gbk,
       k VARCHAR(5) CHARACTER SET koi8u, t VARCHAR(5) CHARACTER SET tis620, m VARCHAR(5) CHARACTER SET macroman, a VARCHAR(5) CHARACTER SET armscii8)`,
    `CREATE TABLE ${database}.surrogates (id INT PRIMARY KEY, u VARCHAR(20) CHARACTER SET ucs2, v VARCHAR(20) CHARACTER SET ucs2)`,
  ]);

  // UCS-2 holds UTF-16 surrogates as code units of their own; the server's conversion to UTF-8
  // writes each as a 3-byte sequence the client reads as U+FFFD, so the copy reads their bytes.
  it.each(["dts-avro", "canal-json"] as const)("copies UCS-2 surrogates as the stream carries them (%s)", async (format) => {
    await db().query(`DELETE FROM ${database}.surrogates`);
    const values = (id: number) => `(${id}, X'D83DDE00', CONCAT(CHAR(0x41 USING ucs2), X'DC00'))`;
    await db().query(`INSERT INTO ${database}.surrogates VALUES ${values(1)}`);
    const topic = uniqueName("surrogates");
    const child = spawnRuntime(snapshotPlan(uniqueName("surrogates"), topic, [rule(database, "surrogates")], { chunkSize: 1, parallelism: 1 }, { format }));
    try {
      await waitForPhase(child, "streaming", 60_000);
      await db().query(`INSERT INTO ${database}.surrogates VALUES ${values(2)}`);
      const messages = await readSettled(topic, 3, 60_000);
      const [copied, streamed] = decodeChanges(format, messages).filter((change) => change.after !== null).map((change) => change.after);
      // DTS Avro carries the UCS-2 bytes (the helper shows them as UTF-8): the same in both.
      if (format === "canal-json") expect(copied).toMatchObject({ u: "😀", v: "A\udc00" });
      expect(streamed).toEqual({ ...copied, id: "2" });
    } finally {
      await stopChild(child);
    }
  });

  it.each(["dts-avro", "canal-json"] as const)("copies and streams the same text (%s)", async (format) => {
    await db().query(`DELETE FROM ${database}.cs`);
    await db().query(`INSERT INTO ${database}.cs VALUES (1, ${VALUES})`);
    const topic = uniqueName("charsets");
    const child = spawnRuntime(snapshotPlan(uniqueName("charsets"), topic, [rule(database, "cs")], { chunkSize: 1, parallelism: 1 }, { format }));
    try {
      await waitForPhase(child, "streaming", 60_000);
      await db().query(`INSERT INTO ${database}.cs VALUES (2, ${VALUES})`);
      // The schema record, the copied row and the streamed one.
      const messages = await readSettled(topic, 3, 60_000);
      if (format === "dts-avro") {
        const { info, rows } = await tableRows(db(), database, "cs");
        expect(rows.get("1")).toBe("1|中文字符|Привет|café ü\u0081|中文字|日本語カナ|中文 é|Привет 中|ü 中|文|é,ü|中文字符 text|中文|•є|\u0080กข|Ω€\uf8ff|❁§՟’");
        expect(replay(messages, info).latest).toEqual(rows);
      } else {
        const [copied, streamed] = decodeChanges(format, messages).filter((change) => change.after !== null).map((change) => change.after);
        expect(streamed).toEqual({ ...copied, id: "2" });
        expect(copied).toMatchObject({ g: "中文字符", b: "中文字", s: "日本語カナ", u32: "Привет 中", e: "2", st: "3", ch: "中文", k: "•є", m: "Ω€\uf8ff" });
      }
    } finally {
      await stopChild(child);
    }
  });
});
