// One error shape for every phase (problem.ts) and one catalog of codes (catalog.ts): the
// compiler, the precheck, the runtime and the CLI all read their codes, titles and standard
// fixes here. Imports nothing from the stages, so each of them may use it.
export { formatLocation, type Problem, type Severity, type SpecLocation } from "./problem.js";
export type { CatalogEntry, Phase } from "./entry.js";
export { catalog, lookupCode, phaseTitles } from "./catalog.js";
export { compilerCodes, type CompilerKind } from "./compiler-codes.js";
export { precheckCodes, type PrecheckId } from "./precheck-codes.js";
export { runtimeCodes, type RuntimeKind } from "./runtime-codes.js";
export { renderEntry, renderProblem } from "./render.js";
export { catalogMarkdown } from "./markdown.js";
