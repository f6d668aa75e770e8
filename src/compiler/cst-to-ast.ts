// CST → syntax tree. Never assumes a child exists: after error recovery a node may lack any
// of its tokens, and such items are dropped (the syntax error was already reported).
import type { IToken } from "chevrotain";
import type {
  AttributeBodyCstNode,
  BlockBodyCstNode,
  CallCstNode,
  FileCstNode,
  ItemCstNode,
  LabelCstNode,
  ListCstNode,
  MapCstNode,
  MapEntryCstNode,
  ValueCstNode,
} from "../../grammar/generated/cst.js";
import type { Attribute, Block, CallValue, Identifier, Item, Label, MapEntry, Span, StringValue, Value } from "./ast.js";
import type { DiagnosticBag } from "./diagnostics.js";
import { joinSpans, type SourceText } from "./source-text.js";

interface Context {
  source: SourceText;
  hadErrors: boolean;
}

function isReal(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

function tokenSpan(token: IToken, ctx: Context): Span {
  return ctx.source.span(token.startOffset, (token.endOffset ?? token.startOffset) + 1);
}

function identifier(token: IToken | undefined, ctx: Context): Identifier | undefined {
  return isReal(token) ? { name: token.image, span: tokenSpan(token, ctx) } : undefined;
}

const escapes = new Map([['"', '"'], ["\\", "\\"], ["/", "/"], ["n", "\n"], ["t", "\t"], ["r", "\r"], ["b", "\b"], ["f", "\f"]]);

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringValue(token: IToken, ctx: Context, bag: DiagnosticBag): StringValue {
  const span = tokenSpan(token, ctx);
  const raw = token.image.slice(1, -1);
  const value = raw.replace(/\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|.)/g, (whole, code: string, at: number) => {
    if (code.startsWith("u") && code.length > 1) {
      const hex = code.startsWith("u{") ? code.slice(2, -1) : code.slice(1);
      const point = Number.parseInt(hex, 16);
      if (point <= 0x10ffff) return String.fromCodePoint(point);
    }
    const simple = escapes.get(code);
    if (simple !== undefined) return simple;
    const start = token.startOffset + 1 + at;
    bag.report("invalidEscape", ctx.source.span(start, start + whole.length), `unknown escape ${whole} in a string`);
    ctx.hadErrors = true;
    return whole;
  });
  // A surrogate escape without its partner is no character: UTF-8 would carry U+FFFD instead.
  if (LONE_SURROGATE.test(value)) {
    bag.report("invalidEscape", span, "the string holds half of a surrogate pair (an escape \\uD800-\\uDFFF without its partner), which is no character", "write the character as \\u{1F600}, or as both halves \\uD83D\\uDE00");
    ctx.hadErrors = true;
  }
  return { kind: "string", value, span };
}

function callValue(node: CallCstNode, ctx: Context, bag: DiagnosticBag): CallValue | undefined {
  const name = identifier(node.children.Identifier?.[0], ctx);
  if (!name) return undefined;
  const lparen = node.children.LParen?.[0];
  if (!isReal(lparen)) return { kind: "call", name, args: null, span: name.span };
  const args = (node.children.value ?? []).map((v) => valueOf(v, ctx, bag)).filter((v): v is Value => v !== undefined);
  const rparen = node.children.RParen?.[0];
  const end = isReal(rparen) ? tokenSpan(rparen, ctx) : (args[args.length - 1]?.span ?? tokenSpan(lparen, ctx));
  return { kind: "call", name, args, span: joinSpans(name.span, end) };
}

function bracketSpan(open: IToken | undefined, close: IToken | undefined, ctx: Context): Span | undefined {
  if (!isReal(open)) return undefined;
  return isReal(close) ? joinSpans(tokenSpan(open, ctx), tokenSpan(close, ctx)) : tokenSpan(open, ctx);
}

function listValue(node: ListCstNode, ctx: Context, bag: DiagnosticBag): Value | undefined {
  const span = bracketSpan(node.children.LBracket?.[0], node.children.RBracket?.[0], ctx);
  if (!span) return undefined;
  const items = (node.children.value ?? []).map((v) => valueOf(v, ctx, bag)).filter((v): v is Value => v !== undefined);
  return { kind: "list", items, span };
}

function mapEntry(node: MapEntryCstNode, ctx: Context, bag: DiagnosticBag): MapEntry | undefined {
  const stringToken = node.children.StringLiteral?.[0];
  const key = isReal(stringToken)
    ? (() => {
        const s = stringValue(stringToken, ctx, bag);
        return { name: s.value, span: s.span };
      })()
    : identifier(node.children.Identifier?.[0], ctx);
  const valueNode = node.children.value?.[0];
  const value = valueNode ? valueOf(valueNode, ctx, bag) : undefined;
  if (!key || !value) return undefined;
  return { key, quotedKey: isReal(stringToken), value, span: joinSpans(key.span, value.span) };
}

function mapValue(node: MapCstNode, ctx: Context, bag: DiagnosticBag): Value | undefined {
  const span = bracketSpan(node.children.LCurly?.[0], node.children.RCurly?.[0], ctx);
  if (!span) return undefined;
  const entries = (node.children.mapEntry ?? []).map((e) => mapEntry(e, ctx, bag)).filter((e): e is MapEntry => e !== undefined);
  return { kind: "map", entries, span };
}

function valueOf(node: ValueCstNode, ctx: Context, bag: DiagnosticBag): Value | undefined {
  const c = node.children;
  const str = c.StringLiteral?.[0];
  if (isReal(str)) return stringValue(str, ctx, bag);
  const num = c.NumberLiteral?.[0];
  if (isReal(num)) return { kind: "number", text: num.image, span: tokenSpan(num, ctx) };
  const quantity = c.Quantity?.[0];
  if (isReal(quantity)) return { kind: "quantity", text: quantity.image, span: tokenSpan(quantity, ctx) };
  const condition = c.Condition?.[0];
  if (isReal(condition)) return { kind: "condition", text: condition.image, span: tokenSpan(condition, ctx) };
  if (c.call?.[0]) return callValue(c.call[0], ctx, bag);
  if (c.list?.[0]) return listValue(c.list[0], ctx, bag);
  if (c.map?.[0]) return mapValue(c.map[0], ctx, bag);
  return undefined;
}

function labelOf(node: LabelCstNode, ctx: Context, bag: DiagnosticBag): Label | undefined {
  const str = node.children.StringLiteral?.[0];
  if (isReal(str)) return stringValue(str, ctx, bag);
  return node.children.call?.[0] ? callValue(node.children.call?.[0], ctx, bag) : undefined;
}

function attributeOf(name: Identifier, node: AttributeBodyCstNode, ctx: Context, bag: DiagnosticBag): Attribute | undefined {
  const valueNode = node.children.value?.[0];
  const value = valueNode ? valueOf(valueNode, ctx, bag) : undefined;
  if (!value) return undefined;
  return { kind: "attribute", name, value, span: joinSpans(name.span, value.span) };
}

function blockOf(type: Identifier, node: BlockBodyCstNode, ctx: Context, bag: DiagnosticBag): Block | undefined {
  const labels = (node.children.label ?? []).map((l) => labelOf(l, ctx, bag)).filter((l): l is Label => l !== undefined);
  const items = itemsOf(node.children.item, ctx, bag);
  const close = node.children.RCurly?.[0];
  const last = isReal(close) ? tokenSpan(close, ctx) : (items[items.length - 1]?.span ?? labels[labels.length - 1]?.span ?? type.span);
  return { kind: "block", type, labels, items, span: joinSpans(type.span, last) };
}

function itemsOf(nodes: ItemCstNode[] | undefined, ctx: Context, bag: DiagnosticBag): Item[] {
  const items: Item[] = [];
  for (const node of nodes ?? []) {
    const name = identifier(node.children.Identifier?.[0], ctx);
    const attribute = node.children.attributeBody?.[0];
    const block = node.children.blockBody?.[0];
    if (!name) continue;
    const item = attribute ? attributeOf(name, attribute, ctx, bag) : block ? blockOf(name, block, ctx, bag) : undefined;
    if (item) items.push(item);
  }
  return items;
}

export function cstToSyntax(cst: FileCstNode, ctx: Context, bag: DiagnosticBag): Item[] {
  return itemsOf(cst.children?.item, ctx, bag);
}
