// Event checksums read per binlog file, on packets recorded from MariaDB 10.11 (a server whose
// binlog_checksum went CRC32 → NONE → CRC32, and a stream opened inside a NONE file) and from
// MySQL 8.4 (test/fixtures/binlog). zongji, told the stream is checksum-free, parses every event
// once the checksum each file's FORMAT_DESCRIPTION_EVENT announces is cut off.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { crc32 } from "node:zlib";
import ZongJi from "@vlasky/zongji";
import { describe, expect, it } from "vitest";
import { ANNOUNCE_CHECKSUMS, ChecksumFraming, followBinlogChecksums } from "../../src/runtime/source/binlog-checksum.js";

const fixtures = join(import.meta.dirname, "../fixtures/binlog");
const mariadb = JSON.parse(readFileSync(join(fixtures, "mariadb-10.11-checksums.json"), "utf8")) as { switching: string[]; midNoneFile: string[] };
const mysql = JSON.parse(readFileSync(join(fixtures, "mysql-8.4-checksums.json"), "utf8")) as { stream: string[] };

const packets = (hex: string[]) => hex.map((h) => Buffer.from(h, "hex"));
const FORMAT_DESCRIPTION_EVENT = 15;

/** Whether the event in `packet` (after its status byte) ends in the CRC32 of the rest. */
function endsInItsCrc(packet: Buffer): boolean {
  const event = packet.subarray(1);
  return crc32(event.subarray(0, -4)) === event.readUInt32LE(event.length - 4);
}

describe("ChecksumFraming", () => {
  for (const [name, stream] of [
    ["MariaDB, CRC32 → NONE → CRC32", mariadb.switching],
    ["MariaDB, opened inside a NONE file", mariadb.midNoneFile],
    ["MySQL 8.4, CRC32", mysql.stream],
  ] as const) {
    it(`cuts 4 bytes off exactly the events that end in a checksum (${name})`, () => {
      const framing = new ChecksumFraming();
      for (const packet of packets(stream)) {
        const length = framing.checksumLength(packet.subarray(1));
        // A FORMAT_DESCRIPTION_EVENT always ends in a checksum field; MariaDB leaves it stale
        // when it clears the event's position for a stream opened inside the file.
        if (packet[5] === FORMAT_DESCRIPTION_EVENT) expect(length).toBe(4);
        else expect(length, `event type ${String(packet[5])}`).toBe(endsInItsCrc(packet) ? 4 : 0);
      }
    });
  }

  it("refuses an algorithm it does not know", () => {
    const format = Buffer.from(packets(mysql.stream)[1] as Buffer).subarray(1);
    format[format.length - 5] = 2;
    expect(() => new ChecksumFraming().checksumLength(format)).toThrow(/checksum algorithm 2/);
  });
});

/** zongji's binlog command as the stream runs it, fed recorded packets instead of a socket. */
async function zongjiStream(mariaDb: boolean) {
  const entry = createRequire(import.meta.url).resolve("@vlasky/zongji");
  const binlog = (await import(pathToFileURL(join(dirname(entry), "lib/sequence/binlog.js")).href)) as { default: (zongji: unknown) => new (callback: (error: Error | undefined, event: unknown) => void) => { binlogData(packet: unknown, connection: unknown): unknown } };
  const zongji = new ZongJi({});
  const sent: string[] = [];
  const connection = { query: (sql: string, callback: (error: Error | null) => void) => (sent.push(sql), callback(null)) };
  const errors: Error[] = [];
  zongji.on("error", (error: Error) => errors.push(error));
  followBinlogChecksums(zongji, () => undefined);
  const internals = zongji as unknown as Record<string, unknown> & { _isChecksumEnabled(next: (error: Error | null, enabled?: boolean) => void): void };
  Object.assign(internals, { connection, isMariaDb: mariaDb });
  let enabled: boolean | undefined;
  internals._isChecksumEnabled((_error, value) => (enabled = value));
  internals.useChecksum = enabled;
  internals.BinlogClass = binlog.default(zongji);
  zongji.emit("ready");
  const events: Record<string, unknown>[] = [];
  const command = new (internals.BinlogClass as ReturnType<typeof binlog.default>)((error, event) => {
    if (error) errors.push(error);
    else events.push(event as Record<string, unknown>);
  });
  const feed = (hex: string[]) => {
    for (const buffer of packets(hex)) command.binlogData({ buffer, offset: 0, end: buffer.length, isEOF: () => false, isError: () => false }, connection);
  };
  return { feed, events, errors, sent, enabled };
}

const named = (events: Record<string, unknown>[], name: string) => events.filter((e) => (e.getEventName as () => string).call(e) === name);

describe("followBinlogChecksums", () => {
  it("announces CRC32 support under MariaDB's and MySQL's names, and has zongji read events as checksum-free", async () => {
    const { sent, enabled } = await zongjiStream(true);
    expect(sent).toEqual([ANNOUNCE_CHECKSUMS]);
    expect(ANNOUNCE_CHECKSUMS).toMatch(/@master_binlog_checksum = 'CRC32'.*@source_binlog_checksum = 'CRC32'/);
    expect(enabled).toBe(false);
  });

  it("streams MariaDB through binlog_checksum CRC32 → NONE → CRC32", async () => {
    const { feed, events, errors } = await zongjiStream(true);
    feed(mariadb.switching);
    expect(errors).toEqual([]);
    expect(named(events, "rotate").map((e) => `${String(e.binlogName)}:${String(e.position)}`)).toEqual([
      "mariadb-bin.000018:214834",
      "mariadb-bin.000019:4",
      "mariadb-bin.000019:4",
      "mariadb-bin.000020:4",
      "mariadb-bin.000020:4",
    ]);
    // The GTID list opening the NONE file was read 4 bytes short before ("Truncated MariadbGtidList event").
    expect(named(events, "mariadbgtidlist").map((e) => (e.gtids as { gtid: string }[]).map((g) => g.gtid))).toEqual([["0-71-257"], ["0-71-261"]]);
    expect(named(events, "mariadbgtid").map((e) => e.gtid)).toEqual(["0-71-256", "0-71-258"]);
    expect(named(events, "query").map((e) => e.query)).toEqual(["create table t_tg_a(id int primary key, a int, s varchar(1000), b blob)"]);
    expect(named(events, "xid").map((e) => e.nextPosition)).toEqual([1837]);
  });

  it("streams MariaDB from inside a NONE file into a CRC32 file, heartbeats included", async () => {
    const { feed, events, errors } = await zongjiStream(true);
    feed(mariadb.midNoneFile);
    expect(errors).toEqual([]);
    expect(named(events, "rotate").map((e) => e.binlogName)).toEqual(["mariadb-bin.000028", "mariadb-bin.000029", "mariadb-bin.000029"]);
    expect(named(events, "heartbeat").map((e) => e.binlogName)).toEqual(["mariadb-bin.000029"]);
    expect(named(events, "binlogcheckpoint")).toHaveLength(1);
  });

  it("streams MySQL 8.4 with CRC32", async () => {
    const { feed, events, errors } = await zongjiStream(false);
    feed(mysql.stream);
    expect(errors).toEqual([]);
    expect(named(events, "rotate").map((e) => e.binlogName)).toEqual(["mysql-bin.000001", "mysql-bin.000002", "mysql-bin.000002"]);
    expect(named(events, "gtid").map((e) => e.gtid)).toEqual(["fb5b7041-7754-11f1-a067-e69d25af13b4:13", "fb5b7041-7754-11f1-a067-e69d25af13b4:14"]);
    expect(named(events, "query").map((e) => e.query)).toEqual(["BEGIN"]);
    expect(named(events, "previousgtids").map((e) => e.gtidSet)).toEqual(["fb5b7041-7754-11f1-a067-e69d25af13b4:1-17"]);
  });

  it("stops the stream with a clear error at a checksum algorithm it cannot read", async () => {
    const { feed, errors } = await zongjiStream(false);
    const [rotate, format] = mysql.stream;
    const unknown = Buffer.from(format as string, "hex");
    unknown[unknown.length - 5] = 7;
    feed([rotate as string, unknown.toString("hex")]);
    expect(errors).toMatchObject([{ code: "unsupported", message: expect.stringMatching(/binlog file mysql-bin\.000001: .*checksum algorithm 7/) }]);
  });
});
