// Durable local checkpoints: <directory>/<pipeline>/checkpoint.json, replaced atomically
// (write a temporary file, fsync it, rename over the old one, fsync the folder) so a crash at
// any instant leaves either the old or the new checkpoint, never a torn one.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { RuntimeError } from "../errors.js";
import { checkpointProblem, type Checkpoint } from "./checkpoint.js";

export function pipelineStateDir(directory: string, pipeline: string): string {
  return join(directory, pipeline);
}

/** Writes `text` to `path` atomically; `durable` adds the fsyncs a checkpoint needs. */
export function writeFileAtomic(path: string, text: string, durable: boolean): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeWhole(temporary, text, durable);
    renameSync(temporary, path);
  } catch (error) {
    // A full disk would otherwise leave an empty temporary file behind for good.
    removeQuietly(temporary);
    throw error;
  }
  if (durable) {
    const dir = openSync(join(path, ".."), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}

function writeWhole(path: string, text: string, durable: boolean): void {
  const fd = openSync(path, "w", 0o600);
  try {
    writeSync(fd, text);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Best effort: the write's own error is the one to report. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // a folder that refuses the removal refused the write too; its error is thrown
  }
}

export class FileCheckpointStore {
  readonly path: string;
  readonly #pipeline: string;
  readonly #dir: string;

  constructor(directory: string, pipeline: string) {
    const dir = pipelineStateDir(directory, pipeline);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new RuntimeError("checkpoint", `cannot create the state folder ${dir}`, { cause: error, hint: "check checkpoint.directory in the spec and its permissions" });
    }
    this.path = join(dir, "checkpoint.json");
    this.#pipeline = pipeline;
    this.#dir = dir;
  }

  /** The saved checkpoint, null when there is none; a damaged one or another pipeline's is refused, never guessed around. */
  load(): Checkpoint | null {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new RuntimeError("checkpoint", `cannot read checkpoint ${this.path} of pipeline "${this.#pipeline}": ${(error as Error).message}`, { cause: error });
    }
    const startOver = `restore it from a backup, or delete the state folder ${this.#dir} to start pipeline "${this.#pipeline}" over (from start_from, with an initial sync if the spec asks for one)`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new RuntimeError("checkpoint", `checkpoint ${this.path} of pipeline "${this.#pipeline}" is not valid JSON (${(error as Error).message})`, { cause: error, hint: startOver });
    }
    const problem = checkpointProblem(parsed);
    if (problem) throw new RuntimeError("checkpoint", `checkpoint ${this.path} of pipeline "${this.#pipeline}" is damaged: ${problem}`, { hint: startOver });
    const checkpoint = parsed as Checkpoint;
    if (checkpoint.pipeline !== this.#pipeline) {
      throw new RuntimeError("checkpoint", `checkpoint ${this.path} belongs to pipeline "${checkpoint.pipeline}", not to "${this.#pipeline}"`, {
        hint: `the state folder was copied or is shared: move the file back to the folder of "${checkpoint.pipeline}", or delete ${this.#dir} to start "${this.#pipeline}" over`,
      });
    }
    return checkpoint;
  }

  save(checkpoint: Checkpoint): void {
    try {
      writeFileAtomic(this.path, `${JSON.stringify(checkpoint, null, 2)}\n`, true);
    } catch (error) {
      throw new RuntimeError("checkpoint", `cannot write checkpoint ${this.path}`, { cause: error, retriable: true, hint: "check free disk space and permissions of the state folder" });
    }
  }
}
