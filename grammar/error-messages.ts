// Parser error messages in the words of the .dts language rather than Chevrotain's token names.
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { defaultParserErrorProvider } from "./chevrotain.js";

function describe(token: IToken): string {
  if (token.tokenType.name === "EOF") return "the end of the file";
  return `"${token.image.length > 30 ? `${token.image.slice(0, 27)}...` : token.image}"`;
}

function labelOf(type: TokenType): string {
  return typeof type.LABEL === "string" ? type.LABEL : type.name;
}

export const dtsErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${labelOf(expected)} but found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant)}; expected a block or an attribute`;
  },
  buildNoViableAltMessage(options) {
    const { actual, ruleName } = options;
    const found = actual[0];
    if (found && ruleName === "value") return `expected a value (string, number, word, list or map) but found ${describe(found)}`;
    if (found && ruleName === "item") return `expected '=' (an attribute) or '{' (a block) but found ${describe(found)}`;
    if (found && ruleName === "label") return `expected a block label or '{' but found ${describe(found)}`;
    return defaultParserErrorProvider.buildNoViableAltMessage(options);
  },
  buildEarlyExitMessage(options) {
    return defaultParserErrorProvider.buildEarlyExitMessage(options);
  },
};
