// The .dts grammar as a pure Chevrotain CstParser: rules only, no semantics.
//
//   file      := item*
//   item      := Identifier ( attributeBody | blockBody )
//   attributeBody := "=" value
//   blockBody := label* "{" item* "}"
//   label     := StringLiteral | call
//   call      := Identifier ( "(" ( value ( "," value )* ","? )? ")" )?
//   value     := StringLiteral | NumberLiteral | Quantity | Condition
//              | call | list | map
//   list      := "[" ( value ","? )* "]"
//   map       := "{" ( mapEntry ","? )* "}"
//   mapEntry  := ( Identifier | StringLiteral ) ( "=" | ":" ) value
import type { IRecognitionException, IToken } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import { dtsErrorMessages } from "./error-messages.js";
import type { FileCstNode } from "./generated/cst.js";
import { firstTooDeep } from "./nesting.js";
import {
  allTokens,
  Colon,
  Comma,
  Condition,
  Equals,
  Identifier,
  LBracket,
  LCurly,
  LParen,
  NumberLiteral,
  Quantity,
  RBracket,
  RCurly,
  RParen,
  StringLiteral,
} from "./tokens.js";

/** Thrown out of the rules once the parser has more errors than it may report. */
class ErrorBudgetSpent extends Error {}

export class DtsParser extends CstParser {
  /** See parseTokens; Infinity while analysing the grammar. */
  errorBudget = Number.POSITIVE_INFINITY;

  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: dtsErrorMessages });
    this.performSelfAnalysis();
  }

  /**
   * A rule that first checks the error budget. Chevrotain's in-repetition recovery re-enters the
   * repeated rule recursively once per error, so a long run of errors in one block would
   * otherwise overflow the stack; every recovery passes through a rule entry.
   */
  private rule(name: string, impl: () => void) {
    return this.RULE(name, () => {
      this.ACTION(() => {
        if (this.errors.length > this.errorBudget) throw new ErrorBudgetSpent();
      });
      impl();
    });
  }

  public file = this.rule("file", () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  // The name is consumed before deciding between attribute and block, so that after an error
  // recovery resumes at the next item instead of retrying the same name forever.
  public item = this.rule("item", () => {
    this.CONSUME(Identifier);
    this.OR([{ ALT: () => this.SUBRULE(this.attributeBody) }, { ALT: () => this.SUBRULE(this.blockBody) }]);
  });

  public attributeBody = this.rule("attributeBody", () => {
    this.CONSUME(Equals);
    this.SUBRULE(this.value);
  });

  public blockBody = this.rule("blockBody", () => {
    this.MANY(() => this.SUBRULE(this.label));
    this.CONSUME(LCurly);
    this.MANY2(() => this.SUBRULE(this.item));
    this.CONSUME(RCurly);
  });

  public label = this.rule("label", () => {
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.SUBRULE(this.call) },
    ]);
  });

  /**
   * A bare word, optionally applied to arguments: `latest`, `env("X")`, `match("^a$")`. A
   * trailing comma is allowed, as in lists, for arguments written one per line.
   */
  public call = this.rule("call", () => {
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.value);
        this.MANY(() => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.value);
        });
        this.OPTION3(() => this.CONSUME2(Comma));
      });
      this.CONSUME(RParen);
    });
  });

  public value = this.rule("value", () => {
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(Quantity) },
      { ALT: () => this.CONSUME(Condition) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.map) },
    ]);
  });

  public list = this.rule("list", () => {
    this.CONSUME(LBracket);
    this.MANY(() => {
      this.SUBRULE(this.value);
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RBracket);
  });

  public map = this.rule("map", () => {
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.SUBRULE(this.mapEntry);
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RCurly);
  });

  public mapEntry = this.rule("mapEntry", () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
    this.OR2([{ ALT: () => this.CONSUME(Equals) }, { ALT: () => this.CONSUME(Colon) }]);
    this.SUBRULE(this.value);
  });
}

/** One parser instance, reused: Chevrotain parsers are expensive to build and cheap to reset. */
export const dtsParser = new DtsParser();

export interface ParseOutcome {
  /** Empty when parsing did not run to the end. */
  cst: FileCstNode;
  errors: IRecognitionException[];
  /** The bracket that nests past maxNestingDepth; the tokens were not parsed. */
  tooDeep: IToken | undefined;
}

const emptyFile: FileCstNode = { name: "file", children: {} };

/** Parses unless the tokens nest too deeply; stops once there are more than `maxErrors` errors. */
export function parseTokens(tokens: IToken[], maxErrors: number): ParseOutcome {
  const tooDeep = firstTooDeep(tokens);
  if (tooDeep) return { cst: emptyFile, errors: [], tooDeep };
  dtsParser.input = tokens;
  dtsParser.errorBudget = maxErrors;
  try {
    return { cst: dtsParser.file() as FileCstNode, errors: dtsParser.errors, tooDeep: undefined };
  } catch (error) {
    if (error instanceof ErrorBudgetSpent) return { cst: emptyFile, errors: dtsParser.errors, tooDeep: undefined };
    throw error;
  } finally {
    dtsParser.errorBudget = Number.POSITIVE_INFINITY;
  }
}
