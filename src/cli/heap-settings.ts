// V8 settings for a `dts` process, applied by its entrypoints (bin/dts.js, `npm run dts`, the
// benchmark's child) before work begins; not by main(), which tests call inside their runner.
//
// After each full collection V8 lets the old generation grow to a multiple of what survived,
// up to 4× when the heap limit is large, as it is by default on a server. A pipeline's live
// heap is small (30-45 MB: code, table metadata, messages in flight) while everything it
// streams passes through, so between collections it carried up to three times that in dead
// objects: about 100 MB of the peak RSS of a 1M-row transaction (docs/benchmarks.md). Growing
// by half instead costs more frequent, short full collections. The heap limit is unchanged,
// so a large live heap (a huge transaction held during an initial sync) still fits.
//
// A percentage given to node itself (`node --heap-growing-percent=100 bin/dts.js …`) is kept:
// it trades memory back for CPU (docs/runtime.md, "Memory and CPU").
import { setFlagsFromString } from "node:v8";

const GROWING_PERCENT = "--heap-growing-percent";

export function applyHeapSettings(nodeFlags: readonly string[] = process.execArgv, setFlags: (flags: string) => void = setFlagsFromString): void {
  if (nodeFlags.some((flag) => flag.replaceAll("_", "-").startsWith(GROWING_PERCENT))) return;
  setFlags(`${GROWING_PERCENT}=50`);
}
