// Reading spec files named on the command line; an unreadable file is a usage error.
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { compile, renderDiagnostics, type CompileOptions, type ExecutionPlan } from "../compiler/index.js";
import { selectPipelines } from "../plan/index.js";
import { isSpecTestFile } from "../spec-test/index.js";
import { UsageError } from "./command.js";
import { inputLimits, readInputFile } from "./input-file.js";

export interface SpecFile {
  file: string;
  text: string;
}

/** stat that follows links; a missing, dangling or looping path is a usage error naming it. */
export function statPath(path: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw new UsageError(`cannot read ${path}: it links to ${readlinkSync(path)}, which does not exist`);
    throw new UsageError(`cannot read ${path}: ${code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : (code ?? "unreadable")}`);
  }
}

/** A spec's file name: a .dts file that is not a spec test (`.test.dts`). */
export function isSpecFileName(name: string): boolean {
  return name.endsWith(".dts") && !isSpecTestFile(name);
}

function listDirectory(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch (error) {
    throw new UsageError(`cannot list the directory ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
}

const specName = (includeTests: boolean) => (name: string) => (includeTests ? name.endsWith(".dts") : isSpecFileName(name));

/** The .dts files directly inside a directory, sorted. */
export function filesIn(path: string, includeTests: boolean): string[] {
  return listDirectory(path).filter(specName(includeTests)).map((name) => join(path, name));
}

/**
 * The folders below `dir` (at any depth, not `dir` itself) that hold .dts files, sorted. Dot
 * folders and node_modules are skipped; a folder reached again through a link is walked once.
 */
export function foldersBelow(dir: string, includeTests = false, walked = new Set<string>([realpathSync(dir)])): string[] {
  return listDirectory(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name.startsWith(".") || name === "node_modules" || !statSync(path, { throwIfNoEntry: false })?.isDirectory()) return [];
    const real = realpathSync(path);
    if (walked.has(real)) return [];
    walked.add(real);
    const below = foldersBelow(path, includeTests, walked);
    return filesIn(path, includeTests).length > 0 ? [path, ...below] : below;
  });
}

/**
 * Files as given; a directory stands for the .dts files directly inside it, sorted, and with
 * `recursive` for those in the folders below it too. Spec tests (`.test.dts`) are not specs: a
 * directory brings them only when `includeTests` (dts fmt).
 */
export function expandPaths(paths: string[], includeTests = false, recursive = false): string[] {
  const seen = new Set<string>();
  // A file named twice (or reached again through a folder or a link) is read once.
  const once = (file: string) => {
    const real = statSync(file, { throwIfNoEntry: false }) ? realpathSync(file) : file;
    return seen.has(real) ? false : (seen.add(real), true);
  };
  return paths.flatMap((path) => {
    if (!statPath(path).isDirectory()) return once(path) ? [path] : [];
    const files = [path, ...(recursive ? foldersBelow(path, includeTests) : [])].flatMap((dir) => filesIn(dir, includeTests));
    if (files.length === 0) throw new UsageError(`${path} holds no .dts files${recursive ? ", nor do the folders below it" : ""}`);
    return files.filter(once);
  });
}

export function readSpecFiles(paths: string[], includeTests = false, recursive = false): SpecFile[] {
  if (paths.length === 0) throw new UsageError("name at least one .dts file");
  return expandPaths(paths, includeTests, recursive).map((file) => ({ file, text: readInputFile(file, "spec file", inputLimits.spec) }));
}

export interface CompiledSpecs {
  plan: ExecutionPlan;
  literalSecrets: Record<string, string>;
}

/** Reads and compiles the specs at `paths`, printing any diagnostics to stderr; null on errors. */
export function compileSpecFiles(paths: string[], options: CompileOptions = {}): CompiledSpecs | null {
  const files = readSpecFiles(paths);
  const result = compile(files, options);
  if (result.diagnostics.length > 0) process.stderr.write(renderDiagnostics(result.diagnostics, "text", new Map(files.map((f) => [f.file, f.text]))));
  return result.plan ? { plan: result.plan, literalSecrets: result.literalSecrets } : null;
}

/** Reads and compiles the specs again for a reload: the plan, or the diagnostics (or unreadable file) as text. */
export function recompileSpecFiles(paths: string[]): { plan: ExecutionPlan; literalSecrets: Record<string, string> } | { diagnostics: string } {
  try {
    const files = readSpecFiles(paths);
    const result = compile(files, {});
    if (result.plan) return { plan: result.plan, literalSecrets: result.literalSecrets };
    return { diagnostics: renderDiagnostics(result.diagnostics, "text", new Map(files.map((f) => [f.file, f.text]))) };
  } catch (error) {
    if (error instanceof UsageError) return { diagnostics: error.message };
    throw error;
  }
}

/**
 * Throws a usage error when the plan has no pipeline, or when `name` is not one of its
 * pipelines (naming the ones it has and the closest as "did you mean"). `from` says where
 * the pipelines came from: "the specs", or "plan.json". Returns the selected indexes.
 */
export function requirePipeline(plan: ExecutionPlan, name: string | undefined, from = "the specs", options: { single?: boolean } = {}): number[] {
  const selection = selectPipelines(plan, name ?? null, { from, ...options });
  if (!selection.ok) throw new UsageError(selection.message);
  return selection.indexes;
}
