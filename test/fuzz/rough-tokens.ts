// Rough .dts tokens, independent of the compiler's lexer: what the mutator cuts along, and how
// the checks find the comments fmt must keep.

/**
 * Rough .dts tokens: strings (single quotes occur in row filters), comments, runs of blanks,
 * numbers, words, single characters. Good enough to mutate by and to find comments with.
 */
const tokenPattern = /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|#[^\r\n]*|\/\/[^\r\n]*|\/\*[\s\S]*?\*\/|[ \t]+|\r?\n|\r|-?\d[\w.]*|[A-Za-z_][\w-]*|[\s\S]/gu;

export function roughTokens(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

/** The comments of a text, trimmed and sorted, to compare before and after fmt. */
export function commentsOf(text: string): string[] {
  return roughTokens(text)
    .filter((t) => t.startsWith("#") || t.startsWith("//") || t.startsWith("/*"))
    .map((t) => t.trim().replace(/\r\n?/g, "\n"))
    .sort();
}
