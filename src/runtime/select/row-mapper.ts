// Applies a rule's renames and column choice to a table: the TableInfo consumers see (target
// database, table and column names, only kept columns) and a projection of row images onto it.
// The rule's column names are resolved as MySQL compares them, in any case (column-names.ts).
import type { RowImage, TableInfo } from "../change-event.js";
import type { ObjectRule } from "../../generated/plan.js";
import { chooseColumns, columnProblemError, isColumnProblem } from "./column-names.js";

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

/** Throws RuntimeError("config") when the rule names a column the table lacks or gives two columns one name. */
export function mapTable(table: TableInfo, rule: ObjectRule, defaultTopic: string): TableMapping {
  const sourceNames = table.columns.map((c) => c.name);
  const choice = chooseColumns(sourceNames, rule);
  if (isColumnProblem(choice)) throw columnProblemError(choice, rule, `${table.database}.${table.table}`);
  const { keep, names } = choice;
  // A Map, not a plain object: a column named `constructor` or `__proto__` is a key like any other.
  const outputName = new Map(keep.map((index, position) => [sourceNames[index] as string, names[position] as string]));
  const keyOf = (key: string[]): string[] | null => (key.every((n) => outputName.has(n)) ? key.map((n) => outputName.get(n) as string) : null);

  // Index names are the server's: a null prototype keeps one named `__proto__` a key.
  const uniqueKeys: TableInfo["uniqueKeys"] = Object.create(null);
  for (const [index, key] of Object.entries(table.uniqueKeys)) {
    const mapped = keyOf(key);
    if (mapped) uniqueKeys[index] = mapped;
  }
  const target: TableInfo = {
    database: rule.target.database ?? table.database,
    table: rule.target.table ?? table.table,
    columns: keep.map((index, position) => {
      const column = table.columns[index] as TableInfo["columns"][number];
      return column.name === names[position] ? column : { ...column, name: names[position] as string };
    }),
    // A key that lost a column to the column choice no longer identifies rows in the messages.
    primaryKey: keyOf(table.primaryKey) ?? [],
    uniqueKeys,
  };
  const allKept = keep.length === table.columns.length;
  return {
    target,
    sourceNames: keep.map((index) => sourceNames[index] as string),
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
