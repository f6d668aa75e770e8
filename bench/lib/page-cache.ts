// A run starts with the kernel's page cache emptied (when the benchmark runs as root), so that
// runs start alike. On this machine a run measured slower the more the page cache held when it
// began: five runs of the same build one after another, with nothing dropped, went from 259k
// to 220k rows/s (DTS Avro) and 217k to 189k (Canal-JSON), with Kafka's and our CPU per row
// rising alike; runs that began on an emptied cache measured like the first
// (docs/benchmarks.md, "A quiet machine"). It is emptied once, before the run loads its
// tables, not before each session: a process started on an empty cache would read its code
// from disk inside the measured window.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const DROP_CACHES = "/proc/sys/vm/drop_caches";

/** Writes dirty pages back and, when this process may, drops the clean ones; says which, for the report. */
export function settlePageCache(): string {
  if (process.env.DTS_BENCH_PAGE_CACHE === "keep") return "kept as it was (DTS_BENCH_PAGE_CACHE=keep)";
  spawnSync("sync");
  if (process.platform !== "linux" || process.getuid?.() !== 0) return "kept as it was (emptying it needs root on Linux); runs vary more with what it holds";
  try {
    writeFileSync(DROP_CACHES, "1");
  } catch (error) {
    return `kept as it was (${DROP_CACHES}: ${(error as Error).message})`;
  }
  return "written back and emptied at the start of the run (sync; drop_caches = 1)";
}
