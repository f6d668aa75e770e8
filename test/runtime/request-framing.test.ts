// Produce requests framed in place: kafkajs' own request framing (protocol/request.js) gives the
// same bytes for a framed body as for a copied one, without copying the body.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { produceRequest } from "../../src/runtime/sink/produce-request.js";
import { applyRequestFraming, FRAME_ROOM, framedBody } from "../../src/runtime/sink/request-framing.js";

const require = createRequire(import.meta.url);
type Request = { apiKey: number; apiVersion: number; encode: () => Promise<{ buf: Buffer; buffer: Buffer }> };
const createRequest = require("kafkajs/src/protocol/request.js") as (r: { correlationId: number; clientId: string; request: Request }) => Promise<{ buffer: Buffer }>;

const batch = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
const topics = [{ topic: "orders", partitions: [{ partition: 0, batch }, { partition: 3, batch: batch.subarray(0, 70) }] }];

/** The request as kafkajs frames a body it copies. */
async function copiedFrame(clientId: string): Promise<Buffer> {
  const { request } = produceRequest(topics, -1, 30_000, 3, "dts:orders");
  const body = Buffer.from((await request.encode()).buffer);
  return (await createRequest({ correlationId: 41, clientId, request: { ...request, encode: async () => ({ buf: body, buffer: body }) } })).buffer;
}

describe("request framing", () => {
  applyRequestFraming();

  it("frames a Produce request byte for byte as kafkajs does, in the body's own buffer", async () => {
    const { request } = produceRequest(topics, -1, 30_000, 3, "dts:orders");
    const framed = (await createRequest({ correlationId: 41, clientId: "dts-orders", request })).buffer;
    expect(framed.equals(await copiedFrame("dts-orders"))).toBe(true);
    expect(framed.readInt32BE(0)).toBe(framed.length - 4);
    const body = await request.encode();
    const again = await createRequest({ correlationId: 41, clientId: "dts-orders", request: { ...request, encode: async () => body } });
    expect(again.buffer.buffer).toBe(body.buffer.buffer);
  });

  it("copies as before when the client id does not fit the room", async () => {
    const clientId = "c".repeat(FRAME_ROOM);
    const { request } = produceRequest(topics, -1, 30_000, 3, "dts:orders");
    const framed = (await createRequest({ correlationId: 41, clientId, request })).buffer;
    expect(framed.equals(await copiedFrame(clientId))).toBe(true);
  });

  it("does not adopt a body that was copied elsewhere since it was framed", async () => {
    const whole = Buffer.alloc(FRAME_ROOM + 3, 7);
    const body = framedBody(whole, FRAME_ROOM);
    const moved = { buf: Buffer.from(body.buffer), buffer: Buffer.from(body.buffer) };
    const framed = (await createRequest({ correlationId: 1, clientId: "x", request: { apiKey: 0, apiVersion: 3, encode: async () => Object.assign(Object.create(Object.getPrototypeOf(body)), body, moved) } })).buffer;
    expect(framed.buffer).not.toBe(whole.buffer);
    expect([...framed.subarray(framed.length - 3)]).toEqual([7, 7, 7]);
  });
});
