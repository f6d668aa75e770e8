// What a `.test.dts` file means once analysed: cases of source changes and the messages they
// should produce, each piece with the span it was written at so results point back into the file.
import type { Block, ParsedFile, Span, Value } from "../compiler/index.js";
import type { TableInfo } from "../runtime/index.js";

/** A value written in the case, kept as syntax: its meaning depends on the column's type. */
export interface CellValue {
  column: string;
  value: Value;
  span: Span;
}

export interface RowChangeStep {
  kind: "insert" | "update" | "delete" | "replace";
  database: string;
  table: string;
  /** update: the before image; otherwise the row. */
  row: CellValue[];
  /** update only: the columns that change. */
  set: CellValue[] | null;
  span: Span;
}

export interface DdlStep {
  kind: "ddl";
  database: string;
  sql: string;
  span: Span;
}

/** One binlog transaction: a lone change commits on its own, a `transaction` block groups them. */
export interface TransactionStep {
  kind: "transaction";
  changes: RowChangeStep[];
  span: Span;
}

export type Step = TransactionStep | DdlStep;

export interface Expectation {
  topic: string;
  partition: number | null;
  /** undefined: not checked; null: the message has no key. */
  key: unknown;
  /** The decoded message's top-level fields the author listed; null: not checked. */
  value: Record<string, unknown> | null;
  /** The block, so --update can replace it. */
  block: Block;
  span: Span;
}

export interface TestCase {
  name: string;
  /** Null: the specs' only pipeline. */
  pipeline: string | null;
  pipelineSpan: Span;
  /** Null: the pipeline's own zone ("+00:00" when it says SYSTEM). */
  timeZone: string | null;
  /** Event time of every change, epoch seconds. */
  timeSeconds: number;
  partitions: Map<string, number>;
  tables: TableInfo[];
  steps: Step[];
  expectations: Expectation[];
  block: Block;
  span: Span;
}

export interface TestFile {
  file: string;
  text: string;
  parsed: ParsedFile;
  /** The spec files the cases run against, as paths. */
  specs: string[];
  specsSpan: Span | null;
  cases: TestCase[];
}
