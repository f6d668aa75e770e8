// A `.test.dts` file → test cases. The file is read by the spec language's own lexer and parser,
// and its blocks by the compiler's body reader, so it gets the same diagnostics ("did you mean",
// duplicates, wrong forms) at file:line:col as a spec does.
import { dirname, join } from "node:path";
import { Body, parseFile, type Attribute, type Block, type DiagnosticBag } from "../compiler/index.js";
import { zoneClock, type TableInfo } from "../runtime/index.js";
import { analyzeTable } from "./analyze-tables.js";
import { analyzeSteps, stepKinds } from "./analyze-steps.js";
import { jsonOf } from "./dts-values.js";
import { isSpecTestFile, testFileSuffix } from "./files.js";
import type { Expectation, TestCase, TestFile } from "./model.js";

/** Every change happens at this instant unless the case says otherwise. */
export const defaultTimeSeconds = Date.UTC(2024, 0, 1) / 1000;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;

/** `orders.test.dts` tests `orders.dts` beside it. */
export function specBeside(testFile: string): string {
  return testFile.slice(0, -testFileSuffix.length) + ".dts";
}

function stringAttribute(attr: Attribute | undefined, bag: DiagnosticBag): string | null {
  if (!attr) return null;
  if (attr.value.kind === "string") return attr.value.value;
  bag.report("wrongType", attr.value.span, `${attr.name.name} takes a string`);
  return null;
}

function caseTime(attr: Attribute | undefined, bag: DiagnosticBag): number {
  const text = stringAttribute(attr, bag);
  if (text === null) return defaultTimeSeconds;
  const ms = Date.parse(text);
  if (isoInstant.test(text) && Number.isFinite(ms)) return Math.floor(ms / 1000);
  bag.report("badTimestamp", (attr as Attribute).value.span, `time ${JSON.stringify(text)} cannot be read`);
  return defaultTimeSeconds;
}

function caseZone(attr: Attribute | undefined, bag: DiagnosticBag): string | null {
  const zone = stringAttribute(attr, bag);
  if (zone === null) return null;
  try {
    zoneClock(zone);
    return zone;
  } catch {
    bag.report("badTimezone", (attr as Attribute).value.span, `unknown time zone ${JSON.stringify(zone)}`);
    return null;
  }
}

function partitionCounts(attr: Attribute | undefined, bag: DiagnosticBag): Map<string, number> {
  const counts = new Map<string, number>();
  if (!attr) return counts;
  if (attr.value.kind !== "map") {
    bag.report("wrongType", attr.value.span, 'partitions maps topics to partition counts, e.g. { "shop.orders" = 12 }');
    return counts;
  }
  for (const entry of attr.value.entries) {
    const n = entry.value.kind === "number" ? Number(entry.value.text) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= 100_000) counts.set(entry.key.name, n);
    else bag.report("outOfRange", entry.value.span, `the partition count of ${entry.key.name} must be a whole number from 1 to 100000`);
  }
  return counts;
}

function expectation(block: Block, bag: DiagnosticBag): Expectation | null {
  const label = block.labels[0];
  const body = new Body(block.items, { owner: "an expect block", attributes: ["partition", "key", "value"] }, bag);
  if (block.labels.length !== 1 || label?.kind !== "string") {
    bag.report("badLabel", block.type.span, "expect takes one label, the topic", 'e.g. expect "shop.orders" { partition = 0  value = { operation = "INSERT" } }');
    return null;
  }
  const read = (name: string): unknown => {
    const attr = body.attribute(name);
    if (!attr) return undefined;
    const json = jsonOf(attr.value);
    if (json.ok) return json.json;
    bag.report("wrongType", json.at.span, `${name} holds JSON as .dts values: strings, numbers, null, true, false, lists and maps`);
    return undefined;
  };
  const partition = read("partition");
  const key = read("key");
  const value = read("value");
  if (partition !== undefined && !(Number.isInteger(partition) && (partition as number) >= 0)) bag.report("wrongType", body.attribute("partition")?.value.span ?? block.span, "partition takes a whole number");
  if (value !== undefined && (value === null || typeof value !== "object" || Array.isArray(value))) bag.report("wrongType", body.attribute("value")?.value.span ?? block.span, "value takes a map of the message's fields");
  const objectValue = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  return { topic: label.value, partition: typeof partition === "number" ? partition : null, key, value: objectValue, block, span: block.span };
}

function analyzeCase(block: Block, parsed: TestFile["parsed"], bag: DiagnosticBag): TestCase | null {
  const label = block.labels[0];
  const blocks = Object.fromEntries([...stepKinds, "table", "expect"].map((k) => [k, "many" as const]));
  const body = new Body(block.items, { owner: "a test block", attributes: ["pipeline", "timezone", "time", "partitions"], blocks }, bag);
  if (block.labels.length !== 1 || label?.kind !== "string") {
    bag.report("badLabel", block.type.span, "a test takes one label, its name", 'e.g. test "a paid order reaches shop.orders" { ... }');
    return null;
  }
  const tables = body.blockList("table").map((t) => analyzeTable(t, parsed, bag)).filter((t): t is TableInfo => t !== null);
  const pipeline = body.attribute("pipeline");
  return {
    name: label.value,
    pipeline: stringAttribute(pipeline, bag),
    pipelineSpan: pipeline?.span ?? label.span,
    timeZone: caseZone(body.attribute("timezone"), bag),
    timeSeconds: caseTime(body.attribute("time"), bag),
    partitions: partitionCounts(body.attribute("partitions"), bag),
    tables,
    steps: analyzeSteps(block.items, tables, bag),
    expectations: body.blockList("expect").map((e) => expectation(e, bag)).filter((e): e is Expectation => e !== null),
    block,
    span: label.span,
  };
}

function specPaths(attr: Attribute | undefined, file: string, bag: DiagnosticBag): string[] {
  if (!attr && !isSpecTestFile(file)) {
    bag.report("missingAttribute", { file, line: 1, column: 1, offset: 0, endLine: 1, endColumn: 1, endOffset: 0 }, `${file} does not end in ${testFileSuffix}, so it has no spec beside it`, 'name the specs it tests: specs = ["orders.dts"]');
    return [];
  }
  if (!attr) return [specBeside(file)];
  const items = attr.value.kind === "list" ? attr.value.items : [];
  if (items.length === 0 || items.some((i) => i.kind !== "string")) {
    bag.report("wrongType", attr.value.span, "specs lists spec files, relative to this file", 'e.g. specs = ["eu.dts", "us.dts"]');
    return [];
  }
  return items.map((i) => join(dirname(file), (i as { value: string }).value));
}

export function analyzeTestFile(file: string, text: string, bag: DiagnosticBag): TestFile {
  const parsed = parseFile(file, text, bag);
  const result: TestFile = { file, text, parsed, specs: [], specsSpan: null, cases: [] };
  if (parsed.hasSyntaxErrors) return result;
  const body = new Body(parsed.syntax.items, { owner: "a test file", attributes: ["specs"], blocks: { test: "many" } }, bag);
  const specs = body.attribute("specs");
  result.specs = specPaths(specs, file, bag);
  result.specsSpan = specs?.span ?? null;
  result.cases = body.blockList("test").map((b) => analyzeCase(b, parsed, bag)).filter((c): c is TestCase => c !== null);
  return result;
}
