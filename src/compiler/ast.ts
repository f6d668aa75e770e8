// The syntax tree of a .dts file: generic blocks, attributes and values with spans. It says
// nothing about pipelines; src/compiler/decode/ gives it meaning.

/** A range in one file: 1-based line and column, 0-based UTF-16 offsets, end exclusive. */
export interface Span {
  file: string;
  line: number;
  column: number;
  offset: number;
  endLine: number;
  endColumn: number;
  endOffset: number;
}

export interface Identifier {
  name: string;
  span: Span;
}

export interface Attribute {
  kind: "attribute";
  name: Identifier;
  value: Value;
  span: Span;
}

export interface Block {
  kind: "block";
  type: Identifier;
  labels: Label[];
  items: Item[];
  span: Span;
}

export type Item = Attribute | Block;

export interface StringValue {
  kind: "string";
  value: string;
  span: Span;
}

export interface NumberValue {
  kind: "number";
  /** The digits as written, so integers beyond 2^53 and decimals stay exact. */
  text: string;
  span: Span;
}

/** A number glued to a unit, such as 720m or 64MiB; the unit decides its meaning. */
export interface QuantityValue {
  kind: "quantity";
  text: string;
  span: Span;
}

/** A bare row condition in parentheses; `text` includes the parentheses. */
export interface ConditionValue {
  kind: "condition";
  text: string;
  span: Span;
}

/** A bare word (`latest`, `true`) when `args` is null, else a call such as `env("X")`. */
export interface CallValue {
  kind: "call";
  name: Identifier;
  args: Value[] | null;
  span: Span;
}

export interface ListValue {
  kind: "list";
  items: Value[];
  span: Span;
}

export interface MapEntry {
  key: Identifier;
  /** Whether the key was written as a quoted string. */
  quotedKey: boolean;
  value: Value;
  span: Span;
}

export interface MapValue {
  kind: "map";
  entries: MapEntry[];
  span: Span;
}

export type Value = StringValue | NumberValue | QuantityValue | ConditionValue | CallValue | ListValue | MapValue;

export type Label = StringValue | CallValue;

/** A comment as written, kept for the formatter. */
export interface Comment {
  text: string;
  span: Span;
}

export interface SyntaxFile {
  file: string;
  text: string;
  items: Item[];
  comments: Comment[];
}
