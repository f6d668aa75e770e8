// Which files are spec tests: one rule for `dts test`, which runs them, and for the commands
// that read specs from a folder (check, fmt, plan), which leave them out.

export const testFileSuffix = ".test.dts";

export function isSpecTestFile(path: string): boolean {
  return path.endsWith(testFileSuffix);
}
