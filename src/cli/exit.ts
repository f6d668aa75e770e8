// The end of every command. Normally the process exits by itself once main() returns; a
// connection some library reopened after it was closed would keep it alive (and a stopped
// `dts run` would then hang its service manager), so after a grace period it exits anyway,
// naming what was still open.
const GRACE_MS = 10_000;

export function exitWhenDone(code: number): void {
  process.exitCode = code;
  const timer = setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((kind) => kind !== "Timeout");
    process.stderr.write(`dts: the command ended ${GRACE_MS / 1000} s ago but ${open.join(", ") || "a handle"} stayed open; exiting anyway (please report this)\n`);
    process.exit(code);
  }, GRACE_MS);
  // The timer itself must not be what keeps the process alive.
  timer.unref();
}
