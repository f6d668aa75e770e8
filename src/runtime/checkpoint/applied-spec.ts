// The pipeline as its last run applied it (<state folder>/applied-spec.json): the plan's
// settings, no secrets (a plan holds only references to them). `dts run` compares the spec it
// is given with it, so that a change which breaks consumers mid-stream (another message
// format, another partition policy) is not taken silently by a restart, as `dts reload`
// would refuse it too.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Pipeline } from "../../generated/plan.js";
import { describeError, RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { writeFileAtomic } from "./file-store.js";

const FILE = "applied-spec.json";

/**
 * What the last run applied, or null when none did (no record). A record that is there but
 * cannot be read is refused, as a damaged checkpoint is: taking it as none would let the very
 * change it guards against through without a word.
 */
export function readAppliedSpec(stateDir: string): Pipeline | null {
  const path = join(stateDir, FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw damaged(path, `cannot be read (${(error as Error).message})`, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw damaged(path, `is not valid JSON (${(error as Error).message})`, error);
  }
  const looksRight = typeof value === "object" && value !== null && typeof (value as Pipeline).name === "string" && typeof (value as Pipeline).format === "string";
  if (!looksRight) throw damaged(path, "is damaged: it does not hold a pipeline's settings");
  return value as Pipeline;
}

function damaged(path: string, problem: string, cause?: unknown): RuntimeError {
  return new RuntimeError("checkpoint", `the record of the spec the last run applied, ${path}, ${problem}; without it a change that breaks consumers cannot be told from one that does not`, {
    cause,
    hint: "restore the file from a backup, or delete it to accept the spec as it is now (the run then records it again)",
  });
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
