// Applies a rule's renames and column choice to a table: the TableInfo consumers see (target
// database, table and column names, only kept columns) and a projection of row images onto it.
import type { RowImage, TableInfo } from "../change-event.js";
import type { ObjectRule } from "../../generated/plan.js";

export interface TableMapping {
  /** The table as it appears in messages. */
  target: TableInfo;
  /** Source column names aligned with `target.columns`, for filters and columns-hash. */
  sourceNames: string[];
  /** Source column indexes aligned with `target.columns`. */
  sourceIndexes: readonly number[];
  /** Kafka topic for this table's rows. */
  topic: string;
  /** Maps a source image onto `target`; the identity when every column is kept. */
  project: (image: RowImage) => RowImage;
}

const identity = (image: RowImage): RowImage => image;

export function mapTable(table: TableInfo, rule: ObjectRule, defaultTopic: string): TableMapping {
  const { include, exclude, rename } = rule.columns;
  const keep: number[] = [];
  table.columns.forEach((column, index) => {
    if (include !== null && !include.includes(column.name)) return;
    if (exclude.includes(column.name)) return;
    keep.push(index);
  });
  // Only the plan's own entries are renames: a plain-object lookup would give a column named
  // `constructor` or `toString` the Object.prototype function as its new name.
  const renames = new Map(Object.entries(rename));
  const renamed = (name: string): string => renames.get(name) ?? name;
  const keptNames = new Set(keep.map((i) => (table.columns[i] as TableInfo["columns"][number]).name));
  const keyOf = (names: string[]): string[] | null => (names.every((n) => keptNames.has(n)) ? names.map(renamed) : null);

  // Index names are the server's: a null prototype keeps one named `__proto__` a key.
  const uniqueKeys: TableInfo["uniqueKeys"] = Object.create(null);
  for (const [index, names] of Object.entries(table.uniqueKeys)) {
    const mapped = keyOf(names);
    if (mapped) uniqueKeys[index] = mapped;
  }
  const target: TableInfo = {
    database: rule.target.database ?? table.database,
    table: rule.target.table ?? table.table,
    columns: keep.map((i) => {
      const column = table.columns[i] as TableInfo["columns"][number];
      return renames.has(column.name) ? { ...column, name: renamed(column.name) } : column;
    }),
    // A key that lost a column to the column choice no longer identifies rows in the messages.
    primaryKey: keyOf(table.primaryKey) ?? [],
    uniqueKeys,
  };
  const allKept = keep.length === table.columns.length;
  return {
    target,
    sourceNames: keep.map((i) => (table.columns[i] as TableInfo["columns"][number]).name),
    sourceIndexes: keep,
    topic: rule.target.topic ?? defaultTopic,
    project: allKept
      ? identity
      : (image) => {
          const out: RowImage = new Array(keep.length);
          for (let i = 0; i < keep.length; i++) out[i] = image[keep[i] as number] ?? null;
          return out;
        },
  };
}
