// Slabs are written again once their messages are released: a message not released yet must
// keep its bytes however many messages follow, and released memory must actually be reused.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonWriter } from "../../src/runtime/encode/json-writer.js";
import { SlabWriter } from "../../src/runtime/encode/slab-writer.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 300);

function message(w: JsonWriter, text: string): Buffer {
  w.begin();
  w.text(text);
  return w.take();
}

/** A message of exactly these ASCII bytes (text() asks for room for 3 bytes per character). */
function exact(w: JsonWriter, text: string): Buffer {
  w.begin();
  w.raw(Buffer.from(text, "latin1"));
  return w.take();
}

describe("slab reuse", () => {
  it("never overwrites a message that is not released, whatever the order of releases", () => {
    const step = fc.oneof(
      fc.record({ write: fc.string({ minLength: 1, maxLength: 90 }) }),
      fc.record({ write: fc.string({ unit: "binary", maxLength: 20 }) }),
      fc.record({ release: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const w = new JsonWriter(128);
        const held: { view: Buffer; text: string }[] = [];
        for (const s of steps) {
          if ("write" in s) held.push({ view: message(w, s.write), text: s.write });
          else if (held.length > 0) SlabWriter.release(held.splice(s.release % held.length, 1)[0]?.view ?? null);
          for (const h of held) expect(h.view.toString("utf8")).toBe(h.text);
        }
      }),
      { numRuns: runs },
    );
  });

  it("writes a slab again once the writer has moved on and every message in it is released", () => {
    const w = new JsonWriter(64);
    const first = [exact(w, "a".repeat(30)), exact(w, "b".repeat(30))];
    const firstSlab = first[0]?.buffer;
    for (const m of first) SlabWriter.release(m);
    // The next message moves the writer on (sealing the first slab, spare now) to a fresh slab;
    // filling that one brings the writer back to the first.
    const second = exact(w, "c".repeat(30));
    expect(second.buffer).not.toBe(firstSlab);
    SlabWriter.release(second);
    SlabWriter.release(exact(w, "d".repeat(30)));
    const back = exact(w, "e".repeat(30));
    expect(back.buffer).toBe(firstSlab);
    expect(back.toString()).toBe("e".repeat(30));
  });

  it("keeps a slab while one of its messages is out", () => {
    const w = new JsonWriter(64);
    const kept = exact(w, "k".repeat(30));
    const released = exact(w, "r".repeat(30));
    SlabWriter.release(released);
    for (let i = 0; i < 20; i++) SlabWriter.release(exact(w, String(i % 10).repeat(40)));
    expect(kept.toString()).toBe("k".repeat(30));
  });

  it("refuses to release more messages than a slab handed out", () => {
    const w = new JsonWriter(64);
    const m = message(w, "x");
    SlabWriter.release(m);
    expect(() => SlabWriter.release(m)).toThrow(/more messages released than taken/);
  });

  it("ignores what no writer handed out", () => {
    expect(() => {
      SlabWriter.release(Buffer.from("plain"));
      SlabWriter.release("text");
      SlabWriter.release(null);
    }).not.toThrow();
  });
});
