// Recognises XA statements in binlog QUERY events and names XA transactions the same way
// whichever event carried the id. A prepared XA transaction's rows are in the binlog at
// XA PREPARE, but they only become real at a later XA COMMIT (or vanish at XA ROLLBACK), which
// can come after other transactions: the id is what ties the two together.
//
// Servers log the id in its canonical hex form (`XA COMMIT X'7831',X'',1`); the quoted form a
// user typed (`'x1'`) is accepted too, so both name one key.

export type XaVerb = "start" | "end" | "prepare" | "commit" | "rollback";

export interface XaStatement {
  verb: XaVerb;
  /** `formatId:gtrid-hex:bqual-hex`, see `xaKey`. */
  id: string;
  /** `XA COMMIT … ONE PHASE`: commits without a separate prepare. */
  onePhase: boolean;
}

const verbs: Record<string, XaVerb> = { START: "start", BEGIN: "start", END: "end", PREPARE: "prepare", COMMIT: "commit", ROLLBACK: "rollback" };

/** One stable key for an XA id: format id plus the hex of its two byte strings. */
export function xaKey(formatId: number, gtrid: Buffer, bqual: Buffer): string {
  return `${formatId}:${gtrid.toString("hex")}:${bqual.toString("hex")}`;
}

/** A string literal of an XA id: X'hex', 0xhex, or a quoted string. */
const part = /^\s*(?:[Xx]'([0-9A-Fa-f]*)'|0x([0-9A-Fa-f]+)|'((?:[^'\\]|\\.|'')*)'|"((?:[^"\\]|\\.|"")*)")/;

function readPart(text: string): { bytes: Buffer; rest: string } | null {
  const match = part.exec(text);
  if (!match) return null;
  const hex = match[1] ?? match[2];
  const quoted = match[3] ?? match[4];
  const bytes = hex !== undefined ? Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex") : Buffer.from(unescape(quoted ?? ""), "utf8");
  return { bytes, rest: text.slice(match[0].length) };
}

function unescape(quoted: string): string {
  return quoted.replace(/''|""/g, (pair) => pair[0] as string).replace(/\\(.)/g, "$1");
}

/** Parses `XA <verb> gtrid [, bqual [, formatId]] [ONE PHASE]`; null for anything else. */
export function parseXaStatement(sql: string): XaStatement | null {
  const head = /^\s*XA\s+(START|BEGIN|END|PREPARE|COMMIT|ROLLBACK)\b/i.exec(sql);
  if (!head) return null;
  const verb = verbs[(head[1] as string).toUpperCase()] as XaVerb;
  const gtrid = readPart(sql.slice(head[0].length));
  if (!gtrid) return null;
  let rest = gtrid.rest;
  let bqual: Buffer = Buffer.alloc(0);
  let formatId = 1;
  const second = /^\s*,/.exec(rest) ? readPart(rest.replace(/^\s*,/, "")) : null;
  if (second) {
    bqual = second.bytes;
    rest = second.rest;
    const format = /^\s*,\s*(\d+)/.exec(rest);
    if (format) {
      formatId = Number(format[1]);
      rest = rest.slice(format[0].length);
    }
  }
  return { verb, id: xaKey(formatId, gtrid.bytes, bqual), onePhase: verb === "commit" && /^\s*ONE\s+PHASE\b/i.test(rest) };
}
