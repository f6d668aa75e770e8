// The schema-registry path against a real Confluent-compatible registry (Apicurio Registry, from
// scripts/stack/schema-registry.ts): the pipeline registers the DTS Record schema under the
// topic's value subject and frames every value with its id; a consumer that knows nothing but
// the registry URL decodes the messages with the registry's client and gets the rows back.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dtsRecordSchemaJson } from "../../src/runtime/encode/dts-avro-schema.js";
import { startSchemaRegistry, stopSchemaRegistry } from "../../scripts/stack/schema-registry.js";
import { pipelinePlan, readSettled, rule, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

interface RegisteredSchema {
  subject: string;
  version: number;
  id: number;
  schema: string;
}

interface DecodedRecord {
  operation: string;
  objectName: unknown;
  fields: unknown;
  beforeImages: unknown;
  afterImages: unknown;
}

/** A union branch as avsc hands it over: `{ "com.alibaba.dts.formats.avro.Integer": {...} }` or the bare value. */
function branch(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Buffer.isBuffer(value) || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  return keys.length === 1 && /^(array|string|com\.alibaba\.)/.test(keys[0] as string) ? (value as Record<string, unknown>)[keys[0] as string] : value;
}

/** Column values of an image as text: Integer and Decimal carry text, Character carries bytes. */
function rowOf(fields: unknown, image: unknown): Record<string, string | null> | null {
  const values = branch(image) as unknown[] | null;
  if (values === null) return null;
  const names = (branch(fields) as { name: string }[]).map((f) => f.name);
  const row: Record<string, string | null> = {};
  values.forEach((raw, i) => {
    const value = branch(raw) as { value: string | Buffer } | null;
    row[names[i] as string] = value === null ? null : Buffer.isBuffer(value.value) ? value.value.toString("utf8") : String(value.value);
  });
  return row;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

describe("DTS Avro with a real schema registry", () => {
  const { database, db } = useTestDatabase("rt_registry", (database) => [
    `CREATE TABLE ${database}.items (id INT PRIMARY KEY, name VARCHAR(32), price DECIMAL(10,2)) ENGINE=InnoDB`,
  ]);
  let url = "";
  let startedHere = false;

  beforeAll(async () => {
    const registry = await startSchemaRegistry();
    ({ url } = registry);
    startedHere = registry.started;
  }, 600_000);

  afterAll(async () => {
    if (startedHere) await stopSchemaRegistry();
  });

  it("registers the Record schema under <topic>-value, frames values with its id, and the registry's client decodes the rows", async () => {
    const topic = uniqueName("rt-registry");
    const plan = pipelinePlan(uniqueName("registry"), topic, [rule(database, "items")], { format: "dts-avro" });
    const pipeline = plan.pipelines[0];
    if (!pipeline) throw new Error("pipelinePlan returned no pipeline");
    pipeline.destination.schemaRegistry = { url };
    const runtime = await startInProcess(plan);
    try {
      const t = `${database}.items`;
      await db().query(`INSERT INTO ${t} VALUES (1, 'first', 1.50), (2, 'zweite ü', NULL)`);
      await db().query(`UPDATE ${t} SET price = 2.25 WHERE id = 2`);
      await db().query(`DELETE FROM ${t} WHERE id = 1`);
      const messages = await readSettled(topic, 4);

      const subject = `${topic}-value`;
      expect(await getJson<string[]>(`${url}/subjects`)).toContain(subject);
      const latest = await getJson<RegisteredSchema>(`${url}/subjects/${subject}/versions/latest`);
      expect(latest).toMatchObject({ subject, version: 1 });
      expect(JSON.parse(latest.schema)).toEqual(JSON.parse(dtsRecordSchemaJson()));
      const byId = await getJson<{ schema: string }>(`${url}/schemas/ids/${latest.id}`);
      expect(JSON.parse(byId.schema)).toEqual(JSON.parse(latest.schema));

      const client = new SchemaRegistry({ host: url });
      const changes = [];
      for (const message of messages) {
        expect(message.value[0]).toBe(0);
        expect(message.value.readUInt32BE(1)).toBe(latest.id);
        const record = (await client.decode(message.value)) as DecodedRecord;
        changes.push({
          operation: record.operation,
          objectName: branch(record.objectName),
          before: rowOf(record.fields, record.beforeImages),
          after: rowOf(record.fields, record.afterImages),
        });
      }
      expect(changes).toEqual([
        { operation: "INSERT", objectName: `${database}.items`, before: null, after: { id: "1", name: "first", price: "1.50" } },
        { operation: "INSERT", objectName: `${database}.items`, before: null, after: { id: "2", name: "zweite ü", price: null } },
        { operation: "UPDATE", objectName: `${database}.items`, before: { id: "2", name: "zweite ü", price: null }, after: { id: "2", name: "zweite ü", price: "2.25" } },
        { operation: "DELETE", objectName: `${database}.items`, before: { id: "1", name: "first", price: "1.50" }, after: null },
      ]);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("fails at once, not after the retry window, when the registry refuses the credentials", async () => {
    // A registry behind Basic auth that refuses this user, as Confluent's answers.
    const refusing = createServer((_request, response) => {
      response.writeHead(401, { "content-type": "application/vnd.schemaregistry.v1+json" });
      response.end(JSON.stringify({ error_code: 401, message: "Unauthorized" }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    try {
      const topic = uniqueName("rt-registry-401");
      const plan = pipelinePlan(uniqueName("registry-401"), topic, [rule(database, "items")], { format: "dts-avro" });
      const pipeline = plan.pipelines[0];
      if (!pipeline) throw new Error("pipelinePlan returned no pipeline");
      pipeline.destination.schemaRegistry = { url: `http://svc:wrong-secret@127.0.0.1:${(refusing.address() as AddressInfo).port}` };
      const started = Date.now();
      const failure = await startInProcess(plan).then(() => null, (error: Error) => error);
      expect(failure?.message).toMatch(/^runtime ended before streaming: cannot register the DTS Avro schema for topic .* Unauthorized/);
      expect(failure?.message).not.toContain("wrong-secret");
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });
});
