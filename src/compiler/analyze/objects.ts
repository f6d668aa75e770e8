// `database "shop" { table "orders" { ... } }` → ObjectRule[]. A database block without
// tables selects all its tables; its rename, topic and partition are defaults for its tables.
import type { Block, MapValue, Span } from "../ast.js";
import type { NameMatcher, ObjectRule, PartitionPolicy } from "../../generated/plan.js";
import type { SourceText } from "../source-text.js";
import { Body, type BodyShape } from "./body.js";
import type { DecodeContext } from "./context.js";
import { checkTopicName } from "./destination.js";
import { decodeFilter } from "./filter.js";
import { decodeMatcher } from "./matcher.js";
import { decodePartition } from "./partition.js";
import { columnNameKey } from "../../plan/column-name.js";

export interface DecodedRule {
  rule: ObjectRule;
  /** The database and table labels, for "selected twice" messages. */
  databaseSpan: Span;
  tableSpan: Span;
  topicSpan: Span | undefined;
  partitionSpan: Span | undefined;
}

const databaseShape = { owner: "a database block", attributes: ["rename", "topic", "partition"], blocks: { table: "many" } } as const;
const tableShape = { owner: "a table block", attributes: ["rename", "topic", "partition", "filter"], blocks: { columns: "one" } } as const;
const columnsShape = { owner: "the columns block", attributes: ["include", "exclude", "rename"] } as const;

interface Overrides {
  rename: string | null;
  topic: string | null;
  topicSpan: Span | undefined;
  partition: PartitionPolicy | null;
  partitionSpan: Span | undefined;
}

function readOverrides(ctx: DecodeContext, body: Body, matcher: NameMatcher | undefined, what: "database" | "table"): Overrides {
  const out: Overrides = { rename: null, topic: null, topicSpan: undefined, partition: null, partitionSpan: undefined };
  const rename = body.attribute("rename");
  if (rename) {
    const name = ctx.values.string(rename);
    if (matcher && !("exact" in matcher)) {
      ctx.bag.report("renameNeedsExactTable", rename.name.span, `only a ${what} selected by exact name can be renamed`, `a pattern selects many ${what}s; they cannot all take one name`);
    } else if (name === "") ctx.bag.report("wrongType", rename.value.span, "rename cannot be empty");
    else if (name !== undefined) out.rename = name;
  }
  const topic = body.attribute("topic");
  if (topic) {
    const name = ctx.values.string(topic);
    if (name !== undefined && checkTopicName(ctx, name, topic.value.span)) {
      out.topic = name;
      out.topicSpan = topic.value.span;
    }
  }
  const partition = body.attribute("partition");
  if (partition) {
    out.partition = decodePartition(ctx, partition) ?? null;
    out.partitionSpan = partition.value.span;
  }
  return out;
}

/**
 * `rename = { old = "new" }`. Column names are the user's, and names such as constructor or
 * __proto__ are members of every plain object, so renames are kept in a Map and handed to the
 * plan as an object without a prototype, where any name is an own key like any other.
 */
function readRenames(ctx: DecodeContext, value: MapValue, columns: ObjectRule["columns"]): Record<string, string> {
  const renames = new Map<string, string>();
  // Keyed by columnNameKey: column names compare in any case, as MySQL compares them.
  const renamed = new Set<string>();
  const targets = new Map<string, string>();
  const included = new Map((columns.include ?? []).map((name) => [columnNameKey(name), name]));
  const excluded = new Set(columns.exclude.map(columnNameKey));
  const keys = new Set(value.entries.map((e) => columnNameKey(e.key.name)));
  for (const entry of value.entries) {
    const from = entry.key.name;
    if (entry.value.kind !== "string" || entry.value.value === "") {
      ctx.values.wrongType(entry.value, `the new name of ${from}`, "a non-empty string");
      continue;
    }
    const to = entry.value.value;
    if (renamed.has(columnNameKey(from))) {
      ctx.bag.report("duplicateKey", entry.key.span, `column ${from} is renamed twice`, "keep one of the two entries");
      continue;
    }
    const clash = targets.get(columnNameKey(to));
    const taken = included.get(columnNameKey(to));
    if (clash !== undefined) ctx.bag.report("columnRenameCollision", entry.value.span, `columns ${clash} and ${from} would both be named ${to}`, "give each column its own name");
    else if (taken !== undefined && columnNameKey(to) !== columnNameKey(from) && !keys.has(columnNameKey(to))) {
      ctx.bag.report("columnRenameCollision", entry.value.span, `renaming ${from} to ${to} collides with the included column ${taken}`, `rename ${taken} too, or pick another name`);
    }
    if (excluded.has(columnNameKey(from))) ctx.bag.report("notApplicable", entry.key.span, `column ${from} is excluded, so renaming it has no effect`);
    targets.set(columnNameKey(to), from);
    renamed.add(columnNameKey(from));
    renames.set(from, to);
  }
  return Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(renames));
}

function readColumns(ctx: DecodeContext, block: Block | undefined): ObjectRule["columns"] {
  const columns: ObjectRule["columns"] = { include: null, exclude: [], rename: {} };
  if (!block) return columns;
  const body = new Body(block.items, columnsShape, ctx.bag);
  const include = body.attribute("include");
  const exclude = body.attribute("exclude");
  const rename = body.attribute("rename");
  const included = include ? ctx.values.stringList(include, 1) : undefined;
  const excluded = exclude ? ctx.values.stringList(exclude) : undefined;
  if (included) columns.include = included.items;
  if (excluded) {
    columns.exclude = excluded.items;
    const includedKeys = new Set(included?.items.map(columnNameKey));
    excluded.items.forEach((name, i) => {
      if (includedKeys.has(columnNameKey(name))) ctx.bag.report("columnListConflict", excluded.spans[i] as Span, `column ${name} is both included and excluded`, "remove it from one of the lists");
    });
  }
  if (rename?.value.kind === "map") columns.rename = readRenames(ctx, rename.value, columns);
  else if (rename) ctx.values.wrongType(rename.value, "rename", "a map such as { total = \"amount\" }");
  return columns;
}

function rule(database: NameMatcher, table: NameMatcher | null, origin: Span, db: Overrides, tb: Overrides | undefined): ObjectRule {
  return {
    origin: { file: origin.file, line: origin.line, column: origin.column },
    database,
    table,
    target: { database: db.rename, table: tb?.rename ?? null, topic: tb?.topic ?? db.topic },
    columns: { include: null, exclude: [], rename: {} },
    filter: null,
    partition: tb?.partition ?? db.partition,
  };
}

/** Where a database or table block's label is wrong (missing, or a second one), if it is. */
function misplacedLabel(block: Block): Span | undefined {
  const label = block.labels[0];
  if (!label) return block.type.span;
  return block.labels.length > 1 ? (block.labels[1]?.span ?? label.span) : undefined;
}

interface Selector {
  matcher: NameMatcher | undefined;
  labelSpan: Span;
  body: Body;
  overrides: Overrides;
}

/** A database or table block: the names it selects, its items, and the target it overrides. */
function readSelector(ctx: DecodeContext, block: Block, shape: BodyShape, what: "database" | "table"): Selector {
  const label = block.labels[0];
  const matcher = label ? decodeMatcher(ctx, label, what) : undefined;
  const body = new Body(block.items, shape, ctx.bag);
  return { matcher, labelSpan: label?.span ?? block.type.span, body, overrides: readOverrides(ctx, body, matcher, what) };
}

export function decodeDatabase(ctx: DecodeContext, block: Block, source: SourceText): DecodedRule[] {
  const badLabel = misplacedLabel(block);
  if (badLabel) ctx.bag.report("badLabel", badLabel, 'a database block takes one name: database "shop" { ... } or database match("^shop_\\\\d+$") { ... }');
  const { matcher: database, labelSpan: databaseSpan, body, overrides: db } = readSelector(ctx, block, databaseShape, "database");
  const tables = body.blockList("table");
  if (!database) return [];
  if (tables.length === 0) {
    return [{ rule: rule(database, null, block.type.span, db, undefined), databaseSpan, tableSpan: databaseSpan, topicSpan: db.topicSpan, partitionSpan: db.partitionSpan }];
  }
  const rules: DecodedRule[] = [];
  for (const tableBlock of tables) {
    const badTableLabel = misplacedLabel(tableBlock);
    if (badTableLabel) ctx.bag.report("badLabel", badTableLabel, 'a table block takes one name: table "orders" { ... }');
    const { matcher: table, labelSpan: tableSpan, body: tableBody, overrides: tb } = readSelector(ctx, tableBlock, tableShape, "table");
    const columns = readColumns(ctx, tableBody.block("columns"));
    const filterAttr = tableBody.attribute("filter");
    const filter = filterAttr ? decodeFilter(ctx, filterAttr, source) : undefined;
    if (!table) continue;
    const decoded = rule(database, table, tableBlock.type.span, db, tb);
    decoded.columns = columns;
    decoded.filter = filter ?? null;
    rules.push({ rule: decoded, databaseSpan, tableSpan, topicSpan: tb.topicSpan ?? db.topicSpan, partitionSpan: tb.partitionSpan ?? db.partitionSpan });
  }
  return rules;
}
