// The .dts grammar as a pure Chevrotain CstParser: rules only, no semantics.
//
//   file      := item*
//   item      := Identifier ( attributeBody | blockBody )
//   attributeBody := "=" value
//   blockBody := label* "{" item* "}"
//   label     := StringLiteral | call
//   call      := Identifier ( "(" ( value ( "," value )* )? ")" )?
//   value     := StringLiteral | NumberLiteral | Quantity | Condition
//              | call | list | map
//   list      := "[" ( value ","? )* "]"
//   map       := "{" ( mapEntry ","? )* "}"
//   mapEntry  := ( Identifier | StringLiteral ) ( "=" | ":" ) value
import "./node-compat.js";
import { CstParser } from "chevrotain";
import { dtsErrorMessages } from "./error-messages.js";
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

export class DtsParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: dtsErrorMessages });
    this.performSelfAnalysis();
  }

  public file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  // The name is consumed before deciding between attribute and block, so that after an error
  // recovery resumes at the next item instead of retrying the same name forever.
  public item = this.RULE("item", () => {
    this.CONSUME(Identifier);
    this.OR([{ ALT: () => this.SUBRULE(this.attributeBody) }, { ALT: () => this.SUBRULE(this.blockBody) }]);
  });

  public attributeBody = this.RULE("attributeBody", () => {
    this.CONSUME(Equals);
    this.SUBRULE(this.value);
  });

  public blockBody = this.RULE("blockBody", () => {
    this.MANY(() => this.SUBRULE(this.label));
    this.CONSUME(LCurly);
    this.MANY2(() => this.SUBRULE(this.item));
    this.CONSUME(RCurly);
  });

  public label = this.RULE("label", () => {
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.SUBRULE(this.call) },
    ]);
  });

  /** A bare word, optionally applied to arguments: `latest`, `env("X")`, `match("^a$")`. */
  public call = this.RULE("call", () => {
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.value);
        this.MANY(() => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.value);
        });
      });
      this.CONSUME(RParen);
    });
  });

  public value = this.RULE("value", () => {
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

  public list = this.RULE("list", () => {
    this.CONSUME(LBracket);
    this.MANY(() => {
      this.SUBRULE(this.value);
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RBracket);
  });

  public map = this.RULE("map", () => {
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.SUBRULE(this.mapEntry);
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RCurly);
  });

  public mapEntry = this.RULE("mapEntry", () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
    this.OR2([{ ALT: () => this.CONSUME(Equals) }, { ALT: () => this.CONSUME(Colon) }]);
    this.SUBRULE(this.value);
  });
}

/** One parser instance, reused: Chevrotain parsers are expensive to build and cheap to reset. */
export const dtsParser = new DtsParser();
