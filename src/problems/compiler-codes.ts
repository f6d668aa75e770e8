// The compiler's codes, TypeScript-style and grouped by phase: 1xxx syntax (including row-filter
// syntax), 2xxx meaning, 3xxx plan. Codes are stable: tests, CI annotations and users' notes
// refer to them. A fix here is shown for every diagnostic of the kind that brings no hint of
// its own, so kinds whose cases differ keep fix null.
import { entries } from "./entry.js";

export const syntaxCodes = entries("syntax", {
  unexpectedCharacter: [1001, "A character no token of the language starts with"],
  unterminatedString: [1002, "A string that is not closed on its line", 'add the closing "; strings cannot span lines'],
  unexpectedToken: [1003, "A token where the grammar expects something else"],
  unclosedBlock: [1004, "A block without its closing brace", "a block opened above is missing its '}'"],
  invalidEscape: [1005, "An escape sequence strings do not know", 'use \\\\ for a backslash; known escapes are \\" \\\\ \\n \\t \\r \\u{hex}'],
  nestingTooDeep: [1006, "Blocks or brackets nested deeper than a spec needs", "a pipeline needs about six levels; close the brackets above"],
  filterUnexpectedToken: [1101, "A row filter with a token out of place"],
  filterUnterminatedString: [1102, "A string or quoted name in a row filter that is not closed"],
  filterUnsupported: [1103, "A row filter using SQL that filters do not support"],
  filterEmpty: [1104, "A row filter with no condition"],
  filterTooDeep: [1105, "A row filter nested too deeply"],
});

export const meaningCodes = entries("meaning", {
  unknownAttribute: [2001, "An attribute the block does not have"],
  unknownBlock: [2002, "A block its parent does not have"],
  duplicateKey: [2003, "The same attribute, block or entry written twice", "keep one of the two"],
  wrongType: [2004, "A value of the wrong type for its attribute"],
  unknownWord: [2005, "A word that is not one of the attribute's choices"],
  missingAttribute: [2006, "A required attribute is missing", "add the attribute the message names"],
  duplicatePipeline: [2007, "Two pipelines with one name", "pipeline names must be unique: they name checkpoints and client ids"],
  badDuration: [2008, "A duration that cannot be read"],
  outOfRange: [2009, "A number or size outside the range its attribute allows"],
  badSize: [2010, "A size that cannot be read"],
  literalSecret: [2011, "A password or other secret written into the spec", 'reference it instead: env("NAME") or file("path")', "warning"],
  unknownFunction: [2012, "A function the attribute does not accept"],
  badArguments: [2013, "A function called with the wrong arguments"],
  badPattern: [2014, "A name pattern that cannot be compiled"],
  overlappingSelection: [2015, "A table rule that an earlier, broader rule already covers", "the first matching rule wins: remove this one, or move it above the broader rule"],
  topicPartitionConflict: [2016, "Tables sharing a topic with different partition policies", "tables sharing a topic need one partition policy, or rows of one key land in different partitions"],
  topicFormatConflict: [2017, "Pipelines writing one topic in different formats", "consumers read one format per topic: use another topic, or the same format"],
  ddlTopicFormatConflict: [2018, "A DDL topic shared by pipelines of different formats", "consumers read one format per topic: use another topic, or the same format"],
  serverIdCollision: [2019, "Pipelines reading one server with the same binlog server id", "give each pipeline reading this server its own server_id"],
  columnRenameCollision: [2020, "A column rename that makes two columns one name", "give each column its own name"],
  columnListConflict: [2021, "A column both included and excluded", "remove it from one of the lists"],
  startPositionConflict: [2022, "A start position that contradicts the initial sync"],
  badTopicName: [2023, "A Kafka topic name Kafka does not accept", "use 1 to 249 letters, digits, '.', '_' or '-'"],
  badBroker: [2024, "A broker address that is not host:port", 'write host:port, e.g. "kafka-1:9092"'],
  renameNeedsExactTable: [2025, "A rename on a rule that selects by pattern", "select the table or database by its exact name to rename it"],
  badLabel: [2026, "A block's quoted name that is missing, extra or malformed"],
  noObjects: [2027, "A pipeline that selects no database or table", 'add database "shop" { } (all its tables) or database "shop" { table "orders" { } }'],
  notApplicable: [2028, "A setting that has no effect with the rest of the spec", null, "warning"],
  badTimezone: [2029, "A time zone that cannot be read", 'write an offset like "+08:00", an IANA name like "Asia/Shanghai", or "SYSTEM"'],
  badTimestamp: [2030, "A timestamp that cannot be read", 'write ISO 8601 with Z or an offset, e.g. "2024-05-01T00:00:00Z"'],
  noPipelines: [2031, "Spec files that declare no pipeline", 'add pipeline "name" { source mysql { ... } destination kafka { ... } database "db" { } }', "warning"],
  badUrl: [2032, "A URL that cannot be read", 'write e.g. "http://schema-registry:8081"'],
  canalDdlInDataTopic: [2033, "Captured DDL written into a Canal JSON topic that also carries rows", "if Flink reads this topic, give DDL a topic of its own with ddl_topic: Flink's canal-json format fails the job on any DDL but CREATE", "warning"],
  exactlyOnceNeedsCheckpointTopic: [2035, "Exactly-once delivery without a checkpoint topic", 'add checkpoint { topic = "dts.checkpoints" }: the checkpoint is written in the same Kafka transaction as the messages it covers'],
  groupNeedsCheckpointTopic: [2036, "A pipeline run by a group of workers without a checkpoint topic", 'add checkpoint { topic = "dts.checkpoints" }: the worker that takes a pipeline over resumes from the checkpoint kept in Kafka'],
  badSourceHost: [2034, "A source host (a string or a list entry) that is not a host name or host:port", 'write host = ["db-1.example.com", "db-2.example.com:3307"]'],
});

export const planCodes = entries("plan", {
  planInvalid: [3001, "The compiled plan fails its schema", "this is a compiler bug; please report it with the spec"],
  tooManyDiagnostics: [3998, "More diagnostics in a file than are shown"],
  internalError: [3999, "The compiler failed on this input", "please report this with the spec that caused it"],
});

/** Every compiler kind, as `bag.report()` names it. */
export const compilerCodes = { ...syntaxCodes, ...meaningCodes, ...planCodes };

export type CompilerKind = keyof typeof compilerCodes;
