// Properties over random tables and row events: decode(encode(e)) gives e back in each format.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChangeEvent, RowChange, RowImage } from "../../src/runtime/change-event.js";
import { canalMessageToEvents, decodeCanalJson } from "../../src/messages/canal-json.js";
import { decodeDtsAvro, dtsRecordToEvent } from "../../src/messages/dts-avro.js";
import { dtsRecordType } from "../../src/runtime/encode/dts-avro-schema.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { zoneClock } from "../../src/runtime/encode/time-zone.js";
import { rowChangeArb } from "./arbitraries.js";
import { pipeline } from "./helpers.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 300);

/** Byte arrays compared by content whatever their class; -0 stays distinct from 0. */
function comparableImage(image: RowImage | null): unknown {
  return image && image.map((v) => (v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString("hex")}` : v));
}

function comparable(event: ChangeEvent): unknown {
  if (event.kind === "ddl") return event;
  return { ...event, before: comparableImage(event.before), after: comparableImage(event.after) };
}

describe("round trip", () => {
  it("keeps the published schema byte for byte", () => {
    const hash = createHash("sha256").update(readFileSync(new URL("../../schemas/dts-avro/Record.avsc", import.meta.url))).digest("hex");
    expect(hash).toBe("ee55b97b39d7868dfad9a9845552190b0b1fa3a489dc7216f9b037b077acf5ea");
  });

  it("DTS Avro: decode(encode(e)) = e", () => {
    const encoder = createEncoder(pipeline("dts-avro"));
    const recordType = dtsRecordType();
    fc.assert(
      fc.property(rowChangeArb, (event) => {
        const [message] = encoder.encodeRows([event]);
        const decoded = dtsRecordToEvent(decodeDtsAvro(message!.value).record, event.table);
        // avsc, reading with the published schema, re-encodes exactly the bytes we wrote
        expect(recordType.toBuffer(recordType.fromBuffer(message!.value)).equals(message!.value)).toBe(true);
        expect(comparable(decoded)).toEqual(comparable({ ...event, position: { ...event.position, gtid: null } }));
      }),
      { numRuns: runs },
    );
  });

  it.each(["+00:00", "+08:00", "-05:30", "Asia/Kolkata"])("Canal JSON in zone %s: decode(encode(e)) = e", (zone) => {
    const encoder = createEncoder(pipeline("canal-json", zone), { nowMs: () => 0 });
    const clock = zoneClock(zone);
    fc.assert(
      fc.property(rowChangeArb, (event) => {
        const messages = encoder.encodeRows([event]);
        const decoded = messages.flatMap((m) => canalMessageToEvents(decodeCanalJson(m.value), event.table, clock)) as RowChange[];
        expect(decoded).toHaveLength(1);
        const { before, after, operation, eventTimeSeconds, table } = decoded[0]!;
        expect(comparable({ ...event, before, after, operation, eventTimeSeconds, table } as RowChange)).toEqual(comparable(event));
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  });
});
