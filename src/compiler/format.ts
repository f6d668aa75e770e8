// `dts fmt`: canonical layout that keeps every comment. Two-space indents, one attribute per
// line with `=` aligned in runs, lists and maps on one line unless they hold comments or are
// long, at most one blank line kept where the author put one. Idempotent by construction: the
// layout depends only on the tree, the comments and where blank lines were.
import type { Attribute, Block, Comment, Item, Label, MapEntry, Span, Value } from "./ast.js";
import { DiagnosticBag, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { dominantLineEnding, withLineEndings } from "./line-endings.js";
import { parseFile } from "./parse.js";
import { byteOrderMark } from "./source-text.js";

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

const indentUnit = "  ";
const maxInlineWidth = 100;

function within(inner: Span, outer: Span): boolean {
  return inner.offset >= outer.offset && inner.endOffset <= outer.endOffset;
}

/**
 * Characters a reviewer cannot see or that change how a line displays: controls (C1 and DEL
 * too), format characters (bidirectional overrides, zero-width ones, the byte-order mark), line
 * and paragraph separators, and spaces other than the ASCII one ("Trojan Source").
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}]/gu;

/** A string literal as JSON quotes it, with the invisible characters (INVISIBLE) kept as escapes. */
export function quoteString(text: string): string {
  return JSON.stringify(text).replace(INVISIBLE, (ch) => {
    if (ch === " ") return ch;
    const code = ch.codePointAt(0) as number;
    return code > 0xffff ? `\\u{${code.toString(16).toUpperCase()}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

class Printer {
  private readonly lines: string[] = [];
  private readonly pending: Comment[];

  constructor(
    private readonly text: string,
    comments: Comment[],
  ) {
    this.pending = [...comments].sort((a, b) => a.span.offset - b.span.offset);
  }

  result(): string {
    while (this.lines.length && this.lines[this.lines.length - 1] === "") this.lines.pop();
    return this.lines.length ? `${this.lines.join("\n")}\n` : "";
  }

  private hasBlankLine(from: number, to: number): boolean {
    return from < to && /(?:\r\n|\r(?!\n)|\n)[ \t]*[\r\n]/.test(this.text.slice(from, to));
  }

  private takeBefore(offset: number): Comment[] {
    const taken: Comment[] = [];
    while (this.pending.length && (this.pending[0] as Comment).span.offset < offset) taken.push(this.pending.shift() as Comment);
    return taken;
  }

  /** A comment that starts on `line` right after `offset`, to stay at the end of that line. */
  private takeTrailing(line: number, offset: number): Comment | undefined {
    const next = this.pending[0];
    if (!next || next.span.line !== line || next.span.offset < offset) return undefined;
    if (/[^\s,]/.test(this.text.slice(offset, next.span.offset))) return undefined;
    return this.pending.shift();
  }

  /** Comments inside `span` that no multi-line list or map below it will print. */
  private takeStray(span: Span, value: Value | undefined): Comment[] {
    const kept = value ? this.multilineSpans(value) : [];
    const stray = this.pending.filter((c) => within(c.span, span) && !kept.some((k) => within(c.span, k)));
    for (const c of stray) this.pending.splice(this.pending.indexOf(c), 1);
    return stray;
  }

  private multilineSpans(value: Value): Span[] {
    if (value.kind === "list" || value.kind === "map") return this.isMultiline(value) ? [value.span] : [];
    if (value.kind === "call" && value.args) return value.args.flatMap((a) => this.multilineSpans(a));
    return [];
  }

  private hasCommentInside(span: Span): boolean {
    return this.pending.some((c) => within(c.span, span));
  }

  private isMultiline(value: Value): boolean {
    if (value.kind === "list" || value.kind === "map") {
      if (this.hasCommentInside(value.span)) return true;
      const children = value.kind === "list" ? value.items : value.entries.map((e) => e.value);
      if (children.some((c) => this.isMultiline(c))) return true;
      return this.inline(value).length > maxInlineWidth;
    }
    if (value.kind === "call" && value.args) return value.args.some((a) => this.isMultiline(a));
    return false;
  }

  private inline(value: Value | Label): string {
    switch (value.kind) {
      case "string":
        return quoteString(value.value);
      case "number":
      case "quantity":
      case "condition":
        return value.text;
      case "call":
        return value.args === null ? value.name.name : `${value.name.name}(${value.args.map((a) => this.inline(a)).join(", ")})`;
      case "list":
        return `[${value.items.map((v) => this.inline(v)).join(", ")}]`;
      case "map":
        return value.entries.length ? `{ ${value.entries.map((e) => `${this.key(e)} = ${this.inline(e.value)}`).join(", ")} }` : "{}";
    }
  }

  private key(entry: MapEntry): string {
    return entry.quotedKey ? quoteString(entry.key.name) : entry.key.name;
  }

  private emitComments(comments: Comment[], indent: string): void {
    for (const c of comments) this.lines.push(indent + c.text);
  }

  /** Prints `prefix` + value; multi-line values continue on following lines. */
  private value(prefix: string, value: Value, indent: string, suffix = ""): void {
    if (!this.isMultiline(value)) {
      this.lines.push(prefix + this.inline(value) + suffix);
      return;
    }
    if (value.kind === "call" && value.args) {
      // Only a call holding a multi-line list or map gets here; its arguments go one per line.
      this.lines.push(`${prefix}${value.name.name}(`);
      this.elements(value.args, (arg) => arg, indent, (arg, inner) => this.value(inner, arg, inner, ","), value.span);
      this.lines.push(`${indent})${suffix}`);
      return;
    }
    if (value.kind === "list") {
      this.lines.push(`${prefix}[`);
      this.elements(value.items, (item) => item, indent, (item, inner) => this.value(inner, item, inner, ","), value.span);
      this.lines.push(`${indent}]${suffix}`);
      return;
    }
    if (value.kind === "map") {
      this.lines.push(`${prefix}{`);
      const width = Math.max(0, ...value.entries.map((e) => this.key(e).length));
      this.elements(value.entries, (entry) => entry.value, indent, (entry, inner) => this.value(`${inner}${this.key(entry).padEnd(width)} = `, entry.value, inner), value.span);
      this.lines.push(`${indent}}${suffix}`);
    }
  }

  private elements<T extends { span: Span }>(elements: T[], valueOf: (element: T) => Value, indent: string, print: (element: T, inner: string) => void, container: Span): void {
    const inner = indent + indentUnit;
    for (const element of elements) {
      this.emitComments(this.takeBefore(element.span.offset), inner);
      this.emitComments(this.takeStray(element.span, valueOf(element)), inner);
      print(element, inner);
      this.appendTrailing(element.span);
    }
    this.emitComments(this.takeBefore(container.endOffset - 1), inner);
  }

  private appendTrailing(span: Span): void {
    const trailing = this.takeTrailing(span.endLine, span.endOffset);
    if (trailing) this.lines[this.lines.length - 1] += ` ${trailing.text}`;
  }

  private labels(labels: Label[]): string {
    return labels.map((l) => ` ${this.inline(l)}`).join("");
  }

  /** Comments after the last item of the file. */
  rest(): void {
    const tail = this.takeBefore(Number.POSITIVE_INFINITY);
    if (tail.length && this.lines.length) this.lines.push("");
    tail.forEach((comment, i) => {
      const before = tail[i - 1];
      if (before && this.hasBlankLine(before.span.endOffset, comment.span.offset)) this.lines.push("");
      this.lines.push(comment.text);
    });
  }

  items(items: Item[], indent: string, start: number, topLevel: boolean): void {
    let previousEnd = start;
    let previous: Item | undefined;
    const widths = this.alignmentWidths(items, start);
    items.forEach((item, index) => {
      const leading = this.takeBefore(item.span.offset);
      const firstStart = leading[0]?.span.offset ?? item.span.offset;
      // Blocks with a body stand apart from their neighbours, as do all top-level blocks.
      const standsApart = (i: Item) => i.kind === "block" && (topLevel || i.items.length > 0);
      const separated = previous !== undefined && (standsApart(previous) || standsApart(item) || this.hasBlankLine(previousEnd, firstStart));
      if (separated) this.lines.push("");
      leading.forEach((comment, i) => {
        const before = leading[i - 1];
        if (before && this.hasBlankLine(before.span.endOffset, comment.span.offset)) this.lines.push("");
        this.lines.push(indent + comment.text);
        // A comment set apart from the item below it (a section heading) stays apart.
        if (i === leading.length - 1 && this.hasBlankLine(comment.span.endOffset, item.span.offset)) this.lines.push("");
      });
      if (item.kind === "attribute") this.attribute(item, indent, widths[index] ?? item.name.name.length);
      else this.block(item, indent);
      previousEnd = item.span.endOffset;
      previous = item;
    });
  }

  /** `=` lines up within runs of attributes not broken by a block or a blank line. */
  private alignmentWidths(items: Item[], start: number): number[] {
    const widths: number[] = [];
    let run: number[] = [];
    let previousEnd = start;
    const close = () => {
      const width = Math.max(0, ...run.map((i) => (items[i] as Attribute).name.name.length));
      for (const i of run) widths[i] = width;
      run = [];
    };
    items.forEach((item, index) => {
      if (item.kind === "block" || this.hasBlankLine(previousEnd, item.span.offset)) close();
      if (item.kind === "attribute") run.push(index);
      previousEnd = item.span.endOffset;
    });
    close();
    return widths;
  }

  private attribute(attr: Attribute, indent: string, width: number): void {
    this.emitComments(this.takeStray(attr.span, attr.value), indent);
    this.value(`${indent}${attr.name.name.padEnd(width)} = `, attr.value, indent);
    this.appendTrailing(attr.span);
  }

  private block(block: Block, indent: string): void {
    const headerEnd = block.labels[block.labels.length - 1]?.span.endOffset ?? block.type.span.endOffset;
    const firstItem = block.items[0]?.span.offset ?? block.span.endOffset - 1;
    // Comments inside the header move above it.
    this.emitComments(this.takeBefore(headerEnd), indent);
    const header = `${indent}${block.type.name}${this.labels(block.labels)} {`;
    const inner = indent + indentUnit;
    const sameLine = this.pending[0] && this.pending[0].span.line === block.type.span.line && this.pending[0].span.offset < firstItem ? this.pending.shift() : undefined;
    if (block.items.length === 0 && !sameLine && !this.hasCommentInside(block.span)) {
      this.lines.push(`${header}}`);
      this.appendTrailing(block.span);
      return;
    }
    this.lines.push(sameLine ? `${header} ${sameLine.text}` : header);
    this.items(block.items, inner, headerEnd, false);
    const tail = this.takeBefore(block.span.endOffset - 1);
    if (tail.length && block.items.length && this.hasBlankLine(block.items[block.items.length - 1]!.span.endOffset, tail[0]!.span.offset)) this.lines.push("");
    this.emitComments(tail, inner);
    this.lines.push(`${indent}}`);
    this.appendTrailing(block.span);
  }
}

export function formatSource(file: string, text: string): FormatResult {
  const bag = new DiagnosticBag();
  const parsed = parseFile(file, text, bag);
  if (parsed.hasSyntaxErrors || bag.hasErrors) return { ok: false, diagnostics: sortDiagnostics(bag.items) };
  const printer = new Printer(text, parsed.syntax.comments);
  printer.items(parsed.syntax.items, "", 0, true);
  printer.rest();
  // The layout is canonical; the byte-order mark and the line endings stay the author's.
  const bom = text.startsWith(byteOrderMark) ? byteOrderMark : "";
  return { ok: true, text: bom + withLineEndings(printer.result(), dominantLineEnding(text)) };
}
