// What a spec change does to consumers and running pipelines: two compiled plans in, a list of
// classified changes out, and its renderings. Pure; `dts plan --diff` reads and compiles.
export { diffPlans } from "./diff.js";
export { reaches, severities, type PlanChange, type PlanSide, type Severity } from "./change.js";
export { changeFormats, renderChanges, type ChangeFormat } from "./render.js";
export { renderMarkdown } from "./render-markdown.js";
export { pipelineFields, registryFramingChanges, registryInUse } from "./pipeline-fields.js";
export { ruleFields } from "./tables.js";
