// The grammar runs on chevrotain's one-module build, which loads in a fraction of the time of the
// package entry's module graph (grammar/chevrotain.ts); the fallback to the entry is for a
// release that stops shipping it, not for this one.
import * as entry from "chevrotain";
import { describe, expect, it } from "vitest";
import { CstParser, Lexer, createToken } from "../../grammar/chevrotain.js";

describe("chevrotain loading", () => {
  it("uses the bundled build shipped with the pinned release", () => {
    expect(typeof CstParser).toBe("function");
    expect(CstParser).not.toBe(entry.CstParser);
  });

  it("lexes with the bundled build as with the entry", () => {
    const Word = createToken({ name: "Word", pattern: /[a-z]+/ });
    const Space = createToken({ name: "Space", pattern: / +/, group: Lexer.SKIPPED });
    const tokens = new Lexer([Word, Space]).tokenize("pipeline orders").tokens.map((t) => t.image);
    expect(tokens).toEqual(["pipeline", "orders"]);
  });
});
