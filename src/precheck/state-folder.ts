// Whether the run can keep its state where the spec says: the pipeline's folder under
// checkpoint.directory exists as a folder this process may write, or can be created there.
// Looked at without creating anything: the precheck changes nothing.
import { accessSync, constants, statSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Pipeline } from "../generated/plan.js";
import { pipelineStateDir } from "../runtime/checkpoint/file-store.js";
import { fail, pass, type CheckResult } from "./check-result.js";

const FIX = "set checkpoint.directory to a folder this user may write (a relative path is taken from the directory dts runs in)";

const writable = (path: string) => {
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The path's stat; null when nothing is there (a path under a file included). */
function statOf(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

export function checkStateFolder(pipeline: Pipeline): CheckResult {
  const folder = resolve(pipelineStateDir(pipeline.checkpoint.directory, pipeline.name));
  // The folder itself, else the nearest path above it that exists.
  let existing = folder;
  let stat = statOf(existing);
  while (stat === null && dirname(existing) !== existing) stat = statOf((existing = dirname(existing)));
  if (!stat?.isDirectory()) return fail("state-folder", `the state folder ${folder} cannot be made: ${existing} is a file, not a folder`, FIX);
  if (!writable(existing)) return fail("state-folder", `the state folder ${folder} cannot be ${existing === folder ? "written" : "made"}: ${existing} is not writable by this user`, FIX);
  if (existing !== folder) return pass("state-folder", `${folder} will be made on the first run`);
  const checkpoint = statOf(resolve(folder, "checkpoint.json"));
  if (checkpoint && !checkpoint.isFile()) return fail("state-folder", `${resolve(folder, "checkpoint.json")} is not a file`, "move it away: the pipeline keeps its checkpoint there");
  return pass("state-folder", `${folder} is writable`);
}
