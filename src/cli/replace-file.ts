// Replacing a file's contents so that a crash, a full disk or Ctrl-C midway leaves either the old
// file or the new one, never half of each: write a temporary file beside it, flush it, and
// rename it over the original (atomic within one directory). The original's permission bits are
// kept; through a symlink, the file it points to is replaced and the link stays a link.
import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export function replaceFile(path: string, contents: string): void {
  const target = realpathSync(path);
  const mode = statSync(target).mode & 0o7777;
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const fd = openSync(temp, "wx", 0o600);
    try {
      writeSync(fd, contents);
      // The mode given to open is narrowed by the umask; set the original's exactly.
      fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
