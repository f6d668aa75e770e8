// V8 settings for a `dts` process, applied by its entrypoints (bin/dts.js, `npm run dts`, the
// benchmark's child) before work begins; not by main(), which tests call inside their runner.
// The heap growth between full collections is explained in src/runtime/heap-growth.ts. A
// percentage given to node itself (`node --heap-growing-percent=100 bin/dts.js …`) is kept: it
// trades memory back for CPU (docs/runtime.md, "Memory and CPU").
export { manageHeapGrowth as applyHeapSettings } from "../runtime/index.js";
