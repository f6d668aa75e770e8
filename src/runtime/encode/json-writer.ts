// JSON text written straight into a slab (see SlabWriter): string literals quoted exactly as
// JSON.stringify quotes them and integers as their digits, without building a message as one
// JS string first and copying it into a Buffer (that string and its pieces were most of canal
// JSON's garbage).
import { safeInteger, SlabWriter } from "./slab-writer.js";

/** Characters JSON.stringify escapes (controls, quote, backslash); surrogates are left to it too. */
export const needsEscape = /[\u0000-\u001f"\\\ud800-\udfff]/;

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;

/** Strings up to this length are checked and copied in one JS loop while they are plain ASCII. */
const LOOP_QUOTE = 64;

export class JsonWriter extends SlabWriter {
  /** The JSON string literal of s: the UTF-8 of JSON.stringify(s). */
  quoted(s: string): void {
    const n = s.length;
    if (n <= LOOP_QUOTE) {
      this.ensure(n + 2);
      const buf = this.buf;
      const at = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === QUOTE || c === BACKSLASH || c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === n) {
        buf[at - 1] = QUOTE;
        buf[at + n] = QUOTE;
        this.pos = at + n + 1;
        return;
      }
    }
    if (needsEscape.test(s)) {
      this.text(JSON.stringify(s));
      return;
    }
    this.ensure(3 * n + 2);
    const buf = this.buf;
    buf[this.pos] = QUOTE;
    this.pos += 1 + buf.utf8Write(s, this.pos + 1);
    buf[this.pos++] = QUOTE;
  }

  /** The decimal text of an integer, as String(n) writes it; safe integers without a string. */
  integer(n: bigint | number): void {
    const value = safeInteger(n);
    if (value === null) this.text(String(n));
    else this.decimal(value, SlabWriter.decimalWidth(value));
  }
}
