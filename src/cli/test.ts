// dts test: run the spec tests (.test.dts) offline and report each case; --update rewrites the
// expectations from what the pipeline actually produced.
import { readdirSync, realpathSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { isSpecTestFile, renderReports, runTestFile, testFileSuffix, testFormats, updateExpectations, type FileReport } from "../spec-test/index.js";
import { choice, parseCommandArgs } from "./args.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { statPath } from "./spec-files.js";
import { inputLimits, readInputFile } from "./input-file.js";
import { replaceFile } from "./replace-file.js";

export const help = `Usage: dts test [options] [files or directories...]

Runs the spec tests in .test.dts files with no MySQL and no Kafka: each case's source
changes go through the code dts run uses after the binlog reader (table selection,
renames, columns, filters, partitions, the encoder), and the messages, encoded and decoded
again, are compared with the case's expectations. A directory stands for the .test.dts
files in it and its subdirectories; without paths, the current directory. orders.test.dts
tests orders.dts beside it. See docs/testing-specs.md.

Exit code 0 when every case passes, 1 when one fails or a file has problems, 2 on a
usage error.

Options:
  --format <text|json|github>  output style (default text)
  --update                     rewrite the expectations from the actual messages (review
                               the diff before committing; never in CI)
  -h, --help                   show this help`;

const isInside = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/**
 * The test files under `dir`, following links as dts check does. A linked folder is walked once,
 * and not at all when it leads back up to a folder being walked (that would never end).
 */
function testFilesIn(dir: string, walking: string[], walked: Set<string>): string[] {
  const real = realpathSync(dir);
  if (walked.has(real) || walking.some((up) => isInside(up, real))) return [];
  walked.add(real);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new UsageError(`cannot list the directory ${dir} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  return names.sort((a, b) => a.localeCompare(b)).flatMap((name) => {
    const path = join(dir, name);
    // A broken link that is not named like a test file is none of dts test's business.
    const stat = isSpecTestFile(name) ? statPath(path) : statSync(path, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isDirectory()) return stat?.isFile() && isSpecTestFile(name) ? [path] : [];
    return name.startsWith(".") || name === "node_modules" ? [] : testFilesIn(path, [...walking, real], walked);
  });
}

/** The files to run: a linked file reached twice runs once. */
function expand(paths: string[]): string[] {
  const walked = new Set<string>();
  const files = (paths.length ? paths : ["."]).flatMap((path) => {
    if (!statPath(path).isDirectory()) return [path];
    if (walked.has(realpathSync(path))) return [];
    const found = testFilesIn(path, [], walked);
    if (found.length === 0) throw new UsageError(`${path} holds no ${testFileSuffix} files`);
    return found;
  });
  const byRealPath = new Map<string, string>();
  for (const file of files) if (!byRealPath.has(realpathSync(file))) byRealPath.set(realpathSync(file), file);
  return [...byRealPath.values()];
}

const readSpec = (path: string): string | null => {
  try {
    return readInputFile(path, "spec file", inputLimits.spec);
  } catch {
    return null;
  }
};

async function runAll(files: string[]): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const file of files) reports.push(await runTestFile(file, readInputFile(file, "test file", inputLimits.spec), readSpec));
  return reports;
}

/** Rewrites the files whose expectations changed; returns them. */
function update(reports: FileReport[]): string[] {
  const changed: string[] = [];
  for (const report of reports) {
    const next = updateExpectations(report.test.text, report.cases);
    if (next === report.test.text) continue;
    replaceFile(report.test.file, next);
    changed.push(report.test.file);
  }
  return changed;
}

export const testCommand: Command = {
  summary: "run the offline spec tests (.test.dts)",
  help,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { format: { type: "string" }, update: { type: "boolean" } });
    const format = choice("format", values.format, testFormats, "text");
    const files = expand(positionals);
    let reports = await runAll(files);
    if (values.update) {
      const changed = update(reports);
      for (const file of changed) process.stderr.write(`${file}: expectations updated\n`);
      if (changed.length) reports = await runAll(files);
    }
    process.stdout.write(renderReports(reports, format));
    const failed = reports.some((r) => r.diagnostics.some((d) => d.severity === "error") || r.cases.some((c) => c.status !== "passed"));
    return failed ? ExitCode.failure : ExitCode.ok;
  },
};
