// The base side of `dts plan --diff`: the same spec paths as they are in a git revision, read
// with git (`git ls-tree`, `git show`), never by checking anything out. Git runs in the folder
// of each path, so a path may lie in any repository and the working directory does not matter.
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "./command.js";
import { inputLimits } from "./input-file.js";
import { isSpecFileName, type SpecFile } from "./spec-files.js";

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: inputLimits.spec + 1 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError("git was not found; it is needed to read the base as a revision");
    if (code === "ENOBUFS") throw new UsageError(`a spec in ${cwd} at this revision is more than ${inputLimits.spec / 1024 / 1024} MiB; is it the right file?`);
    return null;
  }
}

/** True when `rev` names a commit in the repository around `cwd`. */
export function isRevision(rev: string, cwd: string): boolean {
  return !rev.startsWith("-") && git(cwd, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]) !== null;
}

/** The .dts files directly inside `dir` at `rev`, as paths beside the working tree's. */
function filesIn(rev: string, dir: string): string[] {
  const listing = git(dir, ["ls-tree", "-z", rev, "--", "./"]) ?? "";
  return listing
    .split("\0")
    .flatMap((entry) => {
      const match = /^\d+ blob \S+\t(.+)$/s.exec(entry);
      return match?.[1] && isSpecFileName(match[1]) && !match[1].includes("/") ? [match[1]] : [];
    })
    .sort()
    .map((name) => join(dir, name));
}

function fileAt(rev: string, path: string): SpecFile[] {
  const text = git(dirname(path), ["show", `${rev}:./${basename(path)}`]);
  return text === null ? [] : [{ file: path, text }];
}

/**
 * The specs at `rev` for the paths named on the command line: a folder stands for the .dts
 * files in it at that revision (so a deleted spec counts as removed); a file missing there is new.
 */
export function readSpecsAtRevision(rev: string, paths: string[]): SpecFile[] {
  return paths.flatMap((path) => {
    const isDirectory = statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
    return isDirectory ? filesIn(rev, path).flatMap((file) => fileAt(rev, file)) : fileAt(rev, path);
  });
}
