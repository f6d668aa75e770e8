// The source changes of a case, in the order written: insert, update (before and after), delete,
// replace, a transaction grouping some of them, and DDL. Each lone change is its own transaction,
// as an autocommit statement is in the binlog.
import { Body, type Block, type DiagnosticBag, type Item } from "../compiler/index.js";
import { didYouMean } from "../plan/index.js";
import type { TableInfo } from "../runtime/index.js";
import { tableName } from "./analyze-tables.js";
import type { CellValue, RowChangeStep, Step } from "./model.js";

export const rowKinds = ["insert", "update", "delete", "replace"] as const;
export const stepKinds = [...rowKinds, "transaction", "ddl"] as const;

/** `column = value` attributes of a row block, checked against the table's columns. */
function cells(block: Block, table: TableInfo, bag: DiagnosticBag): CellValue[] {
  const names = table.columns.map((c) => c.name);
  const seen = new Set<string>();
  const out: CellValue[] = [];
  for (const item of block.items) {
    if (item.kind === "block") {
      bag.report("unknownBlock", item.type.span, `a row lists its columns as name = value; ${item.type.name} { } is a block`);
      continue;
    }
    const column = item.name.name;
    if (!names.includes(column)) {
      bag.report("unknownAttribute", item.name.span, `${table.database}.${table.table} has no column ${column}`, didYouMean(column, names) ?? `its columns: ${names.join(", ")}`);
    } else if (seen.has(column)) {
      bag.report("duplicateKey", item.name.span, `column ${column} is given twice`);
    } else {
      seen.add(column);
      out.push({ column, value: item.value, span: item.span });
    }
  }
  return out;
}

function updateImages(block: Block, table: TableInfo, bag: DiagnosticBag): { row: CellValue[]; set: CellValue[] } | null {
  const body = new Body(block.items, { owner: "an update", attributes: [], blocks: { before: "one", after: "one" } }, bag);
  const before = body.block("before");
  const after = body.block("after");
  if (!before || !after) {
    bag.report("missingAttribute", block.span, `the update needs ${before ? "after" : "before"} { ... }`, "before { ... } holds the row as it was; after { ... } the columns that change");
    return null;
  }
  return { row: cells(before, table, bag), set: cells(after, table, bag) };
}

function rowStep(block: Block, tables: TableInfo[], bag: DiagnosticBag): RowChangeStep | null {
  const kind = block.type.name as RowChangeStep["kind"];
  const label = block.labels[0];
  if (block.labels.length !== 1 || label?.kind !== "string") {
    bag.report("badLabel", block.type.span, `${kind} takes one label, the table's "database.table"`, `e.g. ${kind} "shop.orders" { ... }`);
    return null;
  }
  const name = tableName(label, bag, `${kind} "database.table"`);
  if (!name) return null;
  const table = tables.find((t) => t.database === name.database && t.table === name.table);
  if (!table) {
    const known = tables.map((t) => `${t.database}.${t.table}`);
    bag.report("unknownWord", label.span, `the case describes no table ${label.value}`, didYouMean(label.value, known) ?? `add table "${label.value}" { create = "CREATE TABLE ..." } to the case`);
    return null;
  }
  if (kind !== "update") return { kind, ...name, row: cells(block, table, bag), set: null, span: block.span };
  const images = updateImages(block, table, bag);
  return images && { kind, ...name, ...images, span: block.span };
}

function ddlStep(block: Block, bag: DiagnosticBag): Step | null {
  const label = block.labels[0];
  const body = new Body(block.items, { owner: "a ddl block", attributes: ["sql"] }, bag);
  const sql = body.attribute("sql");
  if (block.labels.length !== 1 || label?.kind !== "string") {
    bag.report("badLabel", block.type.span, "ddl takes one label, the database the statement runs in", 'e.g. ddl "shop" { sql = "ALTER TABLE orders ADD COLUMN note TEXT" }');
    return null;
  }
  if (sql?.value.kind !== "string") {
    bag.report(sql ? "wrongType" : "missingAttribute", sql?.value.span ?? block.span, "the ddl block needs sql, the statement as a string");
    return null;
  }
  return { kind: "ddl", database: label.value, sql: sql.value.value, span: block.span };
}

/** The steps among `items`; other items are the caller's. */
export function analyzeSteps(items: Item[], tables: TableInfo[], bag: DiagnosticBag): Step[] {
  const steps: Step[] = [];
  for (const item of items) {
    if (item.kind !== "block") continue;
    const kind = item.type.name;
    if (kind === "ddl") {
      const step = ddlStep(item, bag);
      if (step) steps.push(step);
    } else if (kind === "transaction") {
      new Body(item.items, { owner: "a transaction", attributes: [], blocks: { insert: "many", update: "many", delete: "many", replace: "many" } }, bag);
      const changes = item.items.flatMap((inner) => (inner.kind === "block" && (rowKinds as readonly string[]).includes(inner.type.name) ? [rowStep(inner, tables, bag)] : []));
      steps.push({ kind: "transaction", changes: changes.filter((c): c is RowChangeStep => c !== null), span: item.span });
    } else if ((rowKinds as readonly string[]).includes(kind)) {
      const change = rowStep(item, tables, bag);
      if (change) steps.push({ kind: "transaction", changes: [change], span: item.span });
    }
  }
  return steps;
}
