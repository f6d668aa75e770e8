// Reading a file named on the command line. readFileSync on /dev/zero never ends and on a
// FIFO blocks until a writer appears; a huge file exhausts memory. So the file is opened
// without blocking, must be a regular file (checked on the open descriptor, so it cannot be
// swapped in between) and is read only up to a cap.
import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { InputError, UsageError } from "./command.js";

const mib = 1024 * 1024;

export const inputLimits = {
  /** A spec for a thousand tables is a few hundred KiB. */
  spec: 8 * mib,
  plan: 64 * mib,
} as const;

function sizeText(bytes: number): string {
  return bytes >= mib ? `${Math.round(bytes / mib)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function kindOf(stat: import("node:fs").Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

function open(path: string, what: string): number {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? "unreadable");
    throw new UsageError(`cannot read ${what} ${path} (${reason})`);
  }
}

/** Reads to the end (a size of 0 may still hold text, as in /proc), failing past `maxBytes`. */
function readUpTo(fd: number, maxBytes: number, tooLarge: () => string): Buffer {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(64 * 1024);
  let total = 0;
  for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) {
    total += n;
    if (total > maxBytes) throw new UsageError(tooLarge());
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** Bytes a UTF-8 sequence led by `lead` has in all (0: not a lead byte). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  return lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
}

/** Offset of the first byte that does not begin a valid UTF-8 character (the bytes are known to be invalid). */
function firstInvalidByte(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes[at] as number);
    if (length === 0 || at + length > bytes.length || !isUtf8(bytes.subarray(at, at + length))) return at;
    at += length;
  }
  return at;
}

/**
 * The bytes as text. Specs, tests and plans are UTF-8: other bytes would be read as U+FFFD,
 * silently changing names and losing comments on `dts fmt`, so they are refused at the place.
 */
function utf8Text(bytes: Buffer, path: string, what: string): string {
  if (isUtf8(bytes)) return bytes.toString("utf8");
  const at = firstInvalidByte(bytes);
  // Lines and columns as the compiler counts them: code points, any line end, no byte-order mark.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const lines = bytes.subarray(bom, at).toString("utf8").split(/\r\n|\r|\n/);
  const line = lines.length;
  const column = [...(lines[line - 1] as string)].length + 1;
  const byte = (bytes[at] as number).toString(16).toUpperCase().padStart(2, "0");
  throw new InputError(`${path}:${line}:${column}: the ${what} is not UTF-8 text (byte 0x${byte} here); save it as UTF-8`);
}

/** The text of a regular file of at most `maxBytes`; anything else is a usage error naming the path. */
export function readInputFile(path: string, what: string, maxBytes: number): string {
  const fd = open(path, what);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`cannot read ${what} ${path}: it is ${kindOf(stat)}; name a regular file`);
    if (stat.size > maxBytes) throw new UsageError(`${what} ${path} is ${sizeText(stat.size)}, more than the ${sizeText(maxBytes)} a ${what} may have; is it the right file?`);
    return utf8Text(readUpTo(fd, maxBytes, () => `${what} ${path} grew past ${sizeText(maxBytes)} while it was read`), path, what);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) throw error;
    throw new UsageError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    closeSync(fd);
  }
}
