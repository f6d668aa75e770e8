// `dts test`: spec unit tests in `.test.dts` files, run offline through the runtime's own stream
// (docs/testing-specs.md). The CLI reads files and prints; everything else is here.
export { isSpecTestFile, testFileSuffix } from "./files.js";
export { runTestFile, type CaseReport, type FileReport, type ReadSpec } from "./run-file.js";
export { renderReports, summaryLine, testFormats, type TestFormat } from "./render.js";
export { updateExpectations } from "./update.js";
