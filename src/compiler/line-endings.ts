// Line endings as a file has them. `dts fmt` writes the style most of a file's lines use, so a
// CRLF file checked out on Windows stays CRLF and `fmt --check` judges layout, not line endings.

export type LineEnding = "\n" | "\r\n" | "\r";

const lineBreak = /\r\n|\r|\n/g;

/** The most used line ending; \n when there is none or on a tie, as the formatter prints. */
export function dominantLineEnding(text: string): LineEnding {
  const counts = { "\n": 0, "\r\n": 0, "\r": 0 };
  for (const match of text.matchAll(lineBreak)) counts[match[0] as LineEnding]++;
  if (counts["\r\n"] > counts["\n"] && counts["\r\n"] >= counts["\r"]) return "\r\n";
  if (counts["\r"] > counts["\n"] && counts["\r"] > counts["\r\n"]) return "\r";
  return "\n";
}

/** Every line break of `text`, whatever its style, written as `ending`. */
export function withLineEndings(text: string, ending: LineEnding): string {
  return text.replace(lineBreak, ending);
}
