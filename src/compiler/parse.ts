// Text → tokens → CST → syntax tree, collecting every lexical and syntax error on the way.
import type { ILexingError, ILexingResult, IRecognitionException, IToken } from "chevrotain";
import { dtsLexer } from "../../grammar/tokens.js";
import { maxNestingDepth } from "../../grammar/nesting.js";
import { parseTokens } from "../../grammar/parser.js";
import type { Comment, SyntaxFile } from "./ast.js";
import { cstToSyntax } from "./cst-to-ast.js";
import { diagnosticsShownPerFile, type DiagnosticBag } from "./diagnostics.js";
import { SourceText } from "./source-text.js";

function reportLexingError(error: ILexingError, source: SourceText, bag: DiagnosticBag): void {
  const char = source.text[error.offset] ?? "";
  const span = source.span(error.offset, error.offset + Math.max(1, error.length));
  if (char === '"') {
    const lineEnd = source.lineBounds(source.lineAt(error.offset)).end;
    bag.report("unterminatedString", source.span(error.offset, lineEnd), "this string is not closed on its line");
  } else if (char === "(") {
    bag.report("unexpectedCharacter", span, "this condition's parentheses are not balanced", "close every '(' and quote; strings inside conditions use single quotes");
  } else if (source.text.startsWith("/*", error.offset)) {
    bag.report("unexpectedCharacter", source.span(error.offset, error.offset + 2), "this comment is never closed: no */ follows its /*", "end the comment with */");
  } else if (char === "'") {
    bag.report("unexpectedCharacter", span, "single quotes are for strings inside row filters", 'write strings with double quotes, e.g. "orders"');
  } else {
    // A run of junk can be megabytes long; the message quotes its start.
    const shown = JSON.stringify(source.text.slice(error.offset, error.offset + Math.min(Math.max(1, error.length), 20)));
    bag.report("unexpectedCharacter", span, `unexpected character ${shown}${error.length > 20 ? "…" : ""}`);
  }
}

/** Where a parse error belongs: its token, or just after the last real token when the parser hit the end. */
function errorSpan(error: IRecognitionException, source: SourceText, tokens: IToken[]) {
  const token = error.token;
  if (token.tokenType.name !== "EOF" && Number.isFinite(token.startOffset)) {
    return source.span(token.startOffset, (token.endOffset ?? token.startOffset) + 1);
  }
  const previous = (error as { previousToken?: IToken }).previousToken ?? tokens[tokens.length - 1];
  const end = previous && Number.isFinite(previous.endOffset) ? (previous.endOffset ?? 0) + 1 : source.text.length;
  return source.span(Math.max(0, end - 1), end);
}

export interface ParsedFile {
  syntax: SyntaxFile;
  source: SourceText;
  /** Whether lexing or parsing reported errors; semantic checks are skipped then, to avoid noise. */
  hasSyntaxErrors: boolean;
}

/**
 * The tokens the parser gets. Once lexing alone found more errors than a file shows, parse
 * errors after that point could never be shown, and recovering through megabytes of junk takes
 * seconds: the parser stops there. Tokens are sorted, so the cut is a prefix.
 */
function tokensToParse(lexed: ILexingResult): { tokens: IToken[]; truncated: boolean } {
  const cut = lexed.errors[diagnosticsShownPerFile];
  if (!cut) return { tokens: lexed.tokens, truncated: false };
  const end = lexed.tokens.findIndex((token) => token.startOffset >= cut.offset);
  return end < 0 ? { tokens: lexed.tokens, truncated: false } : { tokens: lexed.tokens.slice(0, end), truncated: true };
}

/**
 * A comment never closed runs to the end of the file: what follows its /* is neither tokens nor
 * errors, and the blocks it swallowed the end of are no news (`ended` is set).
 */
function endAtUnclosedComment(lexed: ILexingResult, text: string): { lexed: ILexingResult; ended: boolean } {
  const open = lexed.errors.find((error) => text.startsWith("/*", error.offset));
  if (!open) return { lexed, ended: false };
  const errors = lexed.errors.filter((e) => e.offset <= open.offset);
  return { lexed: { ...lexed, errors, tokens: lexed.tokens.filter((t) => t.startOffset < open.offset) }, ended: true };
}

export function parseFile(file: string, text: string, bag: DiagnosticBag): ParsedFile {
  const source = new SourceText(file, text);
  // The lexer sees a space where a byte-order mark was, so token offsets index the text as read.
  const lexerInput = source.contentStart ? ` ${text.slice(source.contentStart)}` : text;
  const { lexed, ended: commentNeverClosed } = endAtUnclosedComment(dtsLexer.tokenize(lexerInput), lexerInput);
  for (const error of lexed.errors) reportLexingError(error, source, bag);

  const { tokens, truncated } = tokensToParse(lexed);
  const { cst, errors: parseErrors, tooDeep } = parseTokens(tokens, diagnosticsShownPerFile);
  if (tooDeep) {
    const span = source.span(tooDeep.startOffset, tooDeep.startOffset + 1);
    bag.report("nestingTooDeep", span, `blocks, lists, maps and calls nest more than ${maxNestingDepth} levels deep here`);
  }
  // Recovery can fail more than once at one token; the first message there is the useful one.
  const reportedAt = new Set<number>();
  for (const error of parseErrors) {
    // Where the parser was stopped early, "the end of the file" is not the end of the file.
    if ((truncated || commentNeverClosed) && error.token.tokenType.name === "EOF") continue;
    const span = errorSpan(error, source, tokens);
    if (reportedAt.has(span.offset)) continue;
    reportedAt.add(span.offset);
    if (error.token.tokenType.name === "EOF") {
      bag.report("unclosedBlock", span, `${error.message.replace(/ but found the end of the file$/, "")} before the end of the file`);
    } else {
      bag.report("unexpectedToken", span, error.message);
    }
  }

  const comments: Comment[] = (lexed.groups["comments"] ?? []).map((token) => ({
    text: token.image.replace(/\s+$/, ""),
    span: source.span(token.startOffset, (token.endOffset ?? token.startOffset) + 1),
  }));
  const syntaxBag = { source, hadErrors: lexed.errors.length > 0 || parseErrors.length > 0 || tooDeep !== undefined };
  const items = cstToSyntax(cst, syntaxBag, bag);
  return { syntax: { file, text, items, comments }, source, hasSyntaxErrors: syntaxBag.hadErrors };
}
