// Confluent registry framing, against fixed bytes and against the library's own encoder.
// No registry-compatible server could be installed here (Karapace is not on the reachable
// package index; Apicurio is a Quarkus application, not a runnable Maven artifact).
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { decodeDtsAvro } from "../../src/messages/dts-avro.js";
import { dtsRecordSchemaJson } from "../../src/runtime/encode/dts-avro-schema.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { frameForRegistry, registerDtsRecordSchema, registryErrorText, registryFailure, registryUrlText, unframe, valueSubject } from "../../src/runtime/encode/schema-registry.js";
import { ordersTable, pipeline, row } from "./helpers.js";

const require = createRequire(import.meta.url);
const wire = require("@kafkajs/confluent-schema-registry/dist/wireEncoder.js") as { encode(id: number, payload: Buffer): Buffer };

describe("schema registry framing", () => {
  it("writes magic byte 0 and the big-endian schema id before the Avro body", () => {
    expect(frameForRegistry(0x01020304, Buffer.from([0xaa, 0xbb])).toString("hex")).toBe("0001020304aabb");
    expect(frameForRegistry(7, Buffer.from([1]))).toEqual(wire.encode(7, Buffer.from([1])));
  });

  it("frames DTS Avro values when a schema id is given, and the decoder reads them back", () => {
    const event = row(ordersTable(), "insert", null, [1n, "NEW", "1.00", null, "2024-05-01 10:00:00.000"], 1);
    const plain = createEncoder(pipeline("dts-avro")).encodeRows([event])[0]!.value;
    const framed = createEncoder(pipeline("dts-avro"), { schemaId: 42 }).encodeRows([event])[0]!.value;
    expect(framed.subarray(0, 5).toString("hex")).toBe("000000002a");
    expect(framed.subarray(5)).toEqual(plain);
    expect(unframe(plain)).toBeNull();
    const { record, schemaId } = decodeDtsAvro(framed);
    expect(schemaId).toBe(42);
    expect(record.operation).toBe("INSERT");
  });

  it("registers a self-contained Record schema under the topic's value subject", () => {
    const schema = JSON.parse(dtsRecordSchemaJson()) as { name: string; fields: { name: string }[] };
    expect(schema.name).toBe("com.alibaba.dts.formats.avro.Record");
    expect(schema.fields.map((f) => f.name).at(-1)).toBe("bornTimestamp");
    expect(valueSubject("orders")).toBe("orders-value");
  });
});

describe("registry messages", () => {
  it("show the URL without the password, and mask credentials a registry echoes", () => {
    const url = "http://reguser:REG%40PW@127.0.0.1:9792";
    expect(registryUrlText(url)).toBe("http://reguser:***@127.0.0.1:9792/");
    expect(registryUrlText("http://127.0.0.1:9792")).toBe("http://127.0.0.1:9792");
    const echoed = `Unauthorized: auth=Basic ${Buffer.from("reguser:REG@PW").toString("base64")} user=reguser pass=REG@PW raw=REG%40PW b64=${Buffer.from("reguser:REG@PW").toString("base64")}`;
    const text = registryErrorText(url, echoed);
    expect(text).not.toContain("REG@PW");
    expect(text).not.toContain("REG%40PW");
    expect(text).not.toContain(Buffer.from("reguser:REG@PW").toString("base64"));
    expect(text).toContain("Unauthorized: auth=Basic *** user=reguser");
  });
});

describe("a registry's failure", () => {
  it("is retried when nothing answered, on a 5xx, a timeout or a rate limit; not when the registry refused", () => {
    expect(registryFailure(new Error("connect ECONNREFUSED 127.0.0.1:8081")).retriable).toBe(true);
    for (const status of [500, 503, 408, 429]) expect(registryFailure(Object.assign(new Error("x"), { status })).retriable).toBe(true);
    expect(registryFailure(Object.assign(new Error("Unauthorized"), { status: 401 }))).toEqual({ retriable: false, hint: expect.stringContaining("schema_registry_password") });
    expect(registryFailure(Object.assign(new Error("Forbidden"), { status: 403 })).retriable).toBe(false);
    expect(registryFailure(Object.assign(new Error("incompatible"), { status: 409 }))).toEqual({ retriable: false, hint: expect.stringContaining("compatibility") });
  });

  it("is retried when the registry's client says 400 for a request nothing answered (refused, or the socket closed)", async () => {
    // A port nothing listens on, and a server that closes every connection at once.
    const closing = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => closing.listen(0, "127.0.0.1", resolve));
    const closingPort = (closing.address() as AddressInfo).port;
    try {
      for (const url of ["http://127.0.0.1:1", `http://127.0.0.1:${closingPort}`]) {
        const error = await registerDtsRecordSchema(url, "t").then(() => null, (e: unknown) => e);
        expect((error as { status?: number }).status, url).toBe(400);
        expect(registryFailure(error).retriable, url).toBe(true);
      }
    } finally {
      closing.close();
    }
  });
});
