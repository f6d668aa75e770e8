// Text from state files, servers and specs is printed to terminals; an escape sequence in an
// error message or a pipeline name could recolour, retitle or rewrite the screen. Every human
// output goes through `printable`, which shows such characters escaped instead of obeying them.

/** C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides. */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  if (char === "\n") return "\\n";
  if (char === "\t") return "\\t";
  if (char === "\r") return "\\r";
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** One line of text safe to print: controls shown as \x1b, \n, \u202e. */
export function printable(text: string): string {
  return text.replace(unsafe, escape);
}

/** `printable` for each line of a multi-line message, keeping its line breaks. */
export function printableLines(text: string): string {
  return text.split("\n").map(printable).join("\n");
}

const unsafeInJson = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Serialized JSON made safe for a terminal or a pipe: JSON.stringify already escapes C0
 * controls; this also escapes the C1 ones and the bidirectional overrides it leaves raw.
 * The result parses to the same value.
 */
export function printableJsonText(json: string): string {
  return json.replace(unsafeInJson, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function printableJson(value: unknown): string {
  return printableJsonText(JSON.stringify(value, null, 2));
}
