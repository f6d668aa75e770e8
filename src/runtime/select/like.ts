// SQL LIKE without backtracking. A regular expression with one `.*` per `%` backtracks through
// every way of splitting the value among them, so `'%a%a%a%a%b'` on a 400-character value took
// 105 s per row. Between two `%` every piece has a fixed length, and placing each piece at its
// leftmost match leaves the most room for the pieces after it, so one left-to-right pass decides
// the match: time linear in the value for a given pattern.
//
// Semantics are the ones filters always had: `%` is any run of characters, `_` exactly one
// character, `\` makes the next character literal (a lone trailing `\` is itself); characters
// are Unicode code points and compare exactly, case and accents included. A binary string
// (compileByteLike) is matched the same way with bytes for characters, as the server does:
// `_` is one byte, and the pattern is its UTF-8 bytes.

/** A piece of a pattern between `%`s: code points (or bytes), with `anyOne` where `_` stands. */
type Piece = number[];

const anyOne = -1;
const backslash = 0x5c;
const percent = 0x25;
const underscore = 0x5f;

function codePoints(text: string): number[] {
  const points: number[] = [];
  for (let i = 0; i < text.length; ) {
    const point = text.codePointAt(i) as number;
    points.push(point);
    i += point > 0xffff ? 2 : 1;
  }
  return points;
}

function pieces(points: ArrayLike<number>): Piece[] {
  const out: Piece[] = [[]];
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as number;
    const piece = out[out.length - 1] as Piece;
    if (point === backslash && i + 1 < points.length) piece.push(points[++i] as number);
    else if (point === percent) out.push([]);
    else piece.push(point === underscore ? anyOne : point);
  }
  return out;
}

function matchesAt(value: ArrayLike<number>, at: number, piece: Piece): boolean {
  for (let j = 0; j < piece.length; j++) {
    const wanted = piece[j];
    if (wanted !== anyOne && value[at + j] !== wanted) return false;
  }
  return true;
}

/** The leftmost place in [from, end) where `piece` fits entirely, or -1. */
function leftmost(value: ArrayLike<number>, from: number, end: number, piece: Piece): number {
  for (let at = from; at + piece.length <= end; at++) if (matchesAt(value, at, piece)) return at;
  return -1;
}

function matches(all: Piece[], value: ArrayLike<number>): boolean {
  const first = all[0] as Piece;
  if (all.length === 1) return value.length === first.length && matchesAt(value, 0, first);
  const last = all[all.length - 1] as Piece;
  const end = value.length - last.length;
  if (end < first.length || !matchesAt(value, 0, first) || !matchesAt(value, end, last)) return false;
  let from = first.length;
  for (let i = 1; i < all.length - 1; i++) {
    const piece = all[i] as Piece;
    const at = leftmost(value, from, end, piece);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

/** Compiles a LIKE pattern into a test of whole values. */
export function compileLike(pattern: string): (value: string) => boolean {
  const all = pieces(codePoints(pattern));
  return (value) => matches(all, codePoints(value));
}

/** Compiles a LIKE pattern into a test of whole binary values, byte by byte. */
export function compileByteLike(pattern: string): (value: Uint8Array) => boolean {
  const all = pieces(Buffer.from(pattern, "utf8"));
  return (value) => matches(all, value);
}
