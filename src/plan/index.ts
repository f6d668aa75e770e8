// Pure questions about a compiled plan, asked alike by the compiler, the precheck, the runtime
// and the CLI (docs/architecture.md).
export { columnNameKey } from "./column-name.js";
export { didYouMean } from "./did-you-mean.js";
export { compileNamePattern, nameTest, InvalidNamePattern, type CompiledPattern, type NameTest } from "./name-pattern.js";
export { selectPipelines, type PipelineSelection } from "./pipelines.js";
export { checkpointTopics, ddlTopicRoles, recordTopics, ruleTopic, writtenTopics, type TopicRole, type WrittenTopic } from "./topics.js";
export { checkServerRequirements, serverRequirements, startBlockers, type RequirementResult, type ServerSettings } from "./server-requirements.js";
export { checkServerId, type ServerIdFacts, type ServerIdResult } from "./server-id.js";
export { isSchemaChangeHelperTable, isSchemaChangeHelperTrigger, tableSelectionTest } from "./schema-change-tables.js";
export { maskUrlPassword } from "./url-password.js";
