// Reading a file named on the command line. readFileSync on /dev/zero never ends and on a
// FIFO blocks until a writer appears; a huge file exhausts memory. So the file is opened
// without blocking, must be a regular file (checked on the open descriptor, so it cannot be
// swapped in between) and is read only up to a cap.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { UsageError } from "./command.js";

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
function readUpTo(fd: number, maxBytes: number, tooLarge: () => string): string {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(64 * 1024);
  let total = 0;
  for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) {
    total += n;
    if (total > maxBytes) throw new UsageError(tooLarge());
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The text of a regular file of at most `maxBytes`; anything else is a usage error naming the path. */
export function readInputFile(path: string, what: string, maxBytes: number): string {
  const fd = open(path, what);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`cannot read ${what} ${path}: it is ${kindOf(stat)}; name a regular file`);
    if (stat.size > maxBytes) throw new UsageError(`${what} ${path} is ${sizeText(stat.size)}, more than the ${sizeText(maxBytes)} a ${what} may have; is it the right file?`);
    return readUpTo(fd, maxBytes, () => `${what} ${path} grew past ${sizeText(maxBytes)} while it was read`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    closeSync(fd);
  }
}
