// How far V8's old generation may grow between full collections, for a `dts` process. The
// entrypoints (bin/dts.js, `npm run dts`, the benchmark's child) take charge of it before work
// begins (src/cli/heap-settings.ts); main() does not, since tests call it inside their runner,
// and neither does anything when node was given a percentage of its own.
//
// Streaming, by half (50%): a pipeline's live heap is small (30-45 MB) while everything it
// streams passes through, and V8's own choice (up to 4× what survived the last full collection
// when the heap limit is large, as it is by default on a server) carried up to three times that
// in dead objects: about 100 MB of the peak RSS of a 1M-row transaction (docs/benchmarks.md).
// Growing by half costs more frequent, short full collections instead. The heap limit is
// unchanged, so a large live heap (a huge transaction held during an initial sync) still fits.
//
// While an initial sync copies rows, by twice as much (200%): the copy's live heap is small too
// (about 22 MB), but at half the headroom it often fell into a mode where the young generation's
// survivors filled the old one every 60-70 ms, and every full collection slowed what ran
// meanwhile. Measured (docs/benchmarks.md): at 100% instead of 50%, 4-16 full collections per
// 1M-row copy instead of 27-78 and DTS Avro at 3.7-4.5 CPU s per 1M rows instead of 4.5-4.8;
// at 200%, half the full collections again (18 against 33 for Canal-JSON) and Canal-JSON at
// 3.7-4.0 CPU s instead of 4.1-4.6 in seven alternating pairs, for 20-45 MB more peak RSS
// (177-217 MB). Kept for the stream, the copy's headroom took a 1M-row catch-up to 227-247 MB.
import { setFlagsFromString } from "node:v8";

const GROWING_PERCENT = "--heap-growing-percent";
const STREAMING_GROWTH_PERCENT = 50;
const BULK_COPY_GROWTH_PERCENT = 200;

type SetFlags = (flags: string) => void;

let setFlags: SetFlags | null = null;
/** Initial syncs copying rows now (a process may run several pipelines). */
let bulkCopies = 0;

/** Takes charge of the heap growth for this process, unless node was started with a percentage of its own. */
export function manageHeapGrowth(nodeFlags: readonly string[] = process.execArgv, set: SetFlags = setFlagsFromString): void {
  const own = nodeFlags.some((flag) => flag.replaceAll("_", "-").startsWith(GROWING_PERCENT));
  setFlags = own ? null : set;
  setFlags?.(`${GROWING_PERCENT}=${bulkCopies > 0 ? BULK_COPY_GROWTH_PERCENT : STREAMING_GROWTH_PERCENT}`);
}

/** An initial sync starts copying rows; call the returned function (once) when it stops. */
export function bulkCopyStarted(): () => void {
  if (bulkCopies++ === 0) setFlags?.(`${GROWING_PERCENT}=${BULK_COPY_GROWTH_PERCENT}`);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    if (--bulkCopies === 0) setFlags?.(`${GROWING_PERCENT}=${STREAMING_GROWTH_PERCENT}`);
  };
}
