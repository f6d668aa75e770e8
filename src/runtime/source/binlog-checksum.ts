// Event checksums, read per binlog file as a replica reads them. A server writes each binlog file
// with the binlog_checksum it had when it opened the file (changing the setting rotates the
// binlog), so one stream can hold files whose events end in a CRC32 and files whose events do
// not. zongji asks @@global.binlog_checksum once, at connect, and cuts (or not) 4 bytes off every
// event after that: a change while streaming left it reading each event 4 bytes short or long,
// and a server set to NONE refused to send older CRC32 files to a client that had announced no
// checksum support.
//
// So the stream announces CRC32 support always (the server then sends each event as its file
// holds it), each file's FORMAT_DESCRIPTION_EVENT says whether the events after it end in a
// checksum, and the checksum is cut off each event before zongji parses it: zongji reads the
// stream as checksum-free. The events a server makes up follow the same rule (MariaDB
// sql_repl.cc, MySQL rpl_binlog_sender.cc): the fake ROTATE that opens the stream carries a
// checksum when the client announced one, the fake ROTATE before each next file carries the
// previous file's, heartbeats and MariaDB's fake GTID lists the current file's. A
// FORMAT_DESCRIPTION_EVENT ends in its algorithm byte and a 4-byte checksum field, filled
// whatever the algorithm.
import type ZongJi from "@vlasky/zongji";
import { RuntimeError } from "../errors.js";

/**
 * Tells the server this client reads events with checksums. MariaDB looks for
 * @master_binlog_checksum, MySQL 8.0.26 and later for @source_binlog_checksum first.
 */
export const ANNOUNCE_CHECKSUMS = "SET @master_binlog_checksum = 'CRC32', @source_binlog_checksum = 'CRC32'";

const HEADER_LENGTH = 19;
const TYPE_AT = 4;
const LENGTH_AT = 9;
const FORMAT_DESCRIPTION_EVENT = 15;
const CHECKSUM_LENGTH = 4;
/** The algorithm byte precedes the FORMAT_DESCRIPTION_EVENT's own checksum field. */
const ALGORITHM_FROM_END = CHECKSUM_LENGTH + 1;
const ALGORITHM_OFF = 0;
const ALGORITHM_CRC32 = 1;

/** Which events of one stream end in a checksum: those of a file its FORMAT_DESCRIPTION_EVENT says so of. */
export class ChecksumFraming {
  /** Until the first FORMAT_DESCRIPTION_EVENT: what the stream announced (CRC32). */
  #checksummed = true;

  /**
   * How many bytes of checksum end `event` (header and body, as the server sent it). Reads the
   * algorithm of the file a FORMAT_DESCRIPTION_EVENT opens; throws for one it cannot read.
   */
  checksumLength(event: Uint8Array): number {
    if (event[TYPE_AT] !== FORMAT_DESCRIPTION_EVENT) return this.#checksummed ? CHECKSUM_LENGTH : 0;
    const algorithm = event[event.length - ALGORITHM_FROM_END];
    if (algorithm !== ALGORITHM_OFF && algorithm !== ALGORITHM_CRC32) throw new Error(`its events use checksum algorithm ${String(algorithm)}, which dts cannot read (only CRC32 and NONE exist in MySQL and MariaDB)`);
    this.#checksummed = algorithm === ALGORITHM_CRC32;
    return CHECKSUM_LENGTH;
  }
}

/** A mysql2 packet as far as framing needs it: one binlog event after a status byte, from `offset` to `end`. */
export interface EventPacket {
  buffer: Buffer;
  offset: number;
  end: number;
}

/**
 * Cuts the checksum off the event in `packet` (an OK packet: a 0 byte, then the event) and
 * returns the event without it. The header's event length is made to match, as zongji reads
 * sizes from it.
 */
export function cutChecksum(packet: EventPacket, framing: ChecksumFraming): Buffer {
  const start = packet.offset + 1;
  const cut = framing.checksumLength(packet.buffer.subarray(start, packet.end));
  if (cut > 0) {
    packet.end -= cut;
    packet.buffer.writeUInt32LE(packet.buffer.readUInt32LE(start + LENGTH_AT) - cut, start + LENGTH_AT);
  }
  return packet.buffer.subarray(start, packet.end);
}

/** What zongji keeps internally and this module reaches: its checksum handshake and the stream's command class. */
interface ZongjiInternals {
  connection: { query(sql: string, callback: (error: Error | null) => void): void } | null;
  options: { filename?: string };
  BinlogClass?: { prototype: { binlogData?: BinlogData } };
  _isChecksumEnabled?: (next: (error: Error | null, enabled?: boolean) => void) => void;
  emit(event: "error", error: Error): boolean;
}

type BinlogData = (this: unknown, packet: EventPacket & { buffer: Buffer }, connection: unknown) => unknown;

/** Not retriable: the installed package will not change while the pipeline retries. */
function versionProblem(what: string): RuntimeError {
  return new RuntimeError("unsupported", `@vlasky/zongji no longer has ${what}, so binlog files with and without event checksums could not both be read`, {
    hint: "install the zongji version package-lock.json pins (npm ci), or check src/runtime/source/binlog-checksum.ts against the installed version",
  });
}

/**
 * Has `zongji` announce checksum support and read every binlog file whatever its checksum
 * setting. `seeEvent` is shown each event, its checksum cut off, before zongji parses it: the
 * reader finds there what zongji does not parse. Call before zongji starts.
 */
export function followBinlogChecksums(zongji: ZongJi, seeEvent: (event: Buffer) => void): void {
  const internals = zongji as unknown as ZongjiInternals;
  if (typeof internals._isChecksumEnabled !== "function") throw versionProblem("_isChecksumEnabled");
  // zongji then parses every event as checksum-free: the wrapper below made it so.
  internals._isChecksumEnabled = (next) => {
    if (!internals.connection) return next(null, false);
    internals.connection.query(ANNOUNCE_CHECKSUMS, (error) => next(error, false));
  };
  zongji.on("ready", () => readChecksummedEvents(internals, seeEvent));
}

/** Wraps the stream's packet handler (zongji makes a new command class at each start, before "ready"). */
function readChecksummedEvents(zongji: ZongjiInternals, seeEvent: (event: Buffer) => void): void {
  const command = zongji.BinlogClass?.prototype;
  const original = command?.binlogData;
  if (!command || typeof original !== "function") {
    zongji.emit("error", versionProblem("its binlog command's binlogData"));
    return;
  }
  const framing = new ChecksumFraming();
  const wrapped: BinlogData = function (packet, connection) {
    // Anything but an OK packet (EOF, an error) is zongji's to handle as it comes.
    if (packet.buffer[packet.offset] !== 0 || packet.end - packet.offset <= HEADER_LENGTH) return original.call(this, packet, connection);
    let event: Buffer;
    try {
      event = cutChecksum(packet, framing);
    } catch (error) {
      zongji.emit("error", new RuntimeError("unsupported", `binlog file ${zongji.options.filename ?? "?"}: ${(error as Error).message}`, { hint: "set binlog_checksum to CRC32 or NONE on the source" }));
      return wrapped;
    }
    seeEvent(event);
    return original.call(this, packet, connection);
  };
  command.binlogData = wrapped;
}
