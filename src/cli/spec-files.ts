// Reading spec files named on the command line; an unreadable file is a usage error.
import { readFileSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compile, renderDiagnostics, type CompileOptions, type ExecutionPlan } from "../compiler/index.js";
import { UsageError } from "./command.js";

export interface SpecFile {
  file: string;
  text: string;
}

/** Files as given; a directory stands for the .dts files directly inside it, sorted. */
export function expandPaths(paths: string[]): string[] {
  return paths.flatMap((path) => {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new UsageError(`cannot read ${path}: no such file or directory`);
    }
    if (!isDirectory) return [path];
    const files = readdirSync(path).filter((name) => name.endsWith(".dts")).sort().map((name) => join(path, name));
    if (files.length === 0) throw new UsageError(`${path} holds no .dts files`);
    return files;
  });
}

export function readSpecFiles(paths: string[]): SpecFile[] {
  if (paths.length === 0) throw new UsageError("name at least one .dts file");
  return expandPaths(paths).map((file) => {
    try {
      return { file, text: readFileSync(file, "utf8") };
    } catch (error) {
      const reason = error instanceof Error && "code" in error ? String(error.code) : "unreadable";
      throw new UsageError(`cannot read ${file} (${reason})`);
    }
  });
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

/** Throws a usage error naming the declared pipelines when `name` is not one of them. */
export function requirePipeline(plan: ExecutionPlan, name: string | undefined): void {
  if (name === undefined || plan.pipelines.some((p) => p.name === name)) return;
  throw new UsageError(`no pipeline named "${name}"; the specs declare: ${plan.pipelines.map((p) => p.name).join(", ") || "none"}`);
}
