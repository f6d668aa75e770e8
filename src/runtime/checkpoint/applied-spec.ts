// The pipeline as its last run applied it (<state folder>/applied-spec.json): the plan's
// settings, no secrets (a plan holds only references to them). `dts run` compares the spec it
// is given with it, so that a change which breaks consumers mid-stream (another message
// format, another partition policy) is not taken silently by a restart, as `dts reload`
// would refuse it too.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Pipeline } from "../../generated/plan.js";
import { describeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { writeFileAtomic } from "./file-store.js";

const FILE = "applied-spec.json";

/** What the last run applied, or null when none did (or the file is not a pipeline's settings). */
export function readAppliedSpec(stateDir: string): Pipeline | null {
  const path = join(stateDir, FILE);
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as unknown;
    const looksRight = typeof value === "object" && value !== null && typeof (value as Pipeline).name === "string" && typeof (value as Pipeline).format === "string";
    return looksRight ? (value as Pipeline) : null;
  } catch {
    return null;
  }
}

/** Records the pipeline as now applied; a folder that cannot be written is said, not fatal. */
export function recordAppliedSpec(stateDir: string, pipeline: Pipeline, log: Logger): void {
  try {
    mkdirSync(stateDir, { recursive: true });
    writeFileAtomic(join(stateDir, FILE), `${JSON.stringify(pipeline)}\n`, false);
  } catch (error) {
    log.warn({ err: describeError(error) }, `cannot record the applied spec in ${join(stateDir, FILE)}; the next dts run cannot tell a change that breaks consumers`);
  }
}
