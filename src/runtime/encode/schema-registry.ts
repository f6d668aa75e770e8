// Confluent wire framing for Avro values when the plan names a schema registry: magic byte 0,
// the 4-byte big-endian schema id, then the raw Avro body. Registration happens once at start;
// the registry client is loaded only then (about 25 ms of every start otherwise).
import { maskUrlPassword } from "../../plan/url-password.js";
import { dtsRecordSchemaJson } from "./dts-avro-schema.js";

export const CONFLUENT_MAGIC_BYTE = 0;

export function frameForRegistry(schemaId: number, avroBody: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(avroBody.length + 5);
  framed.writeUInt8(CONFLUENT_MAGIC_BYTE, 0);
  framed.writeUInt32BE(schemaId, 1);
  avroBody.copy(framed, 5);
  return framed;
}

/** Splits a framed value; null when it does not start with the magic byte. */
export function unframe(value: Buffer): { schemaId: number; body: Buffer } | null {
  if (value.length < 5 || value[0] !== CONFLUENT_MAGIC_BYTE) return null;
  return { schemaId: value.readUInt32BE(1), body: value.subarray(5) };
}

/** Subject naming: Confluent's TopicNameStrategy for values. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/** Registers the DTS Record schema under the topic's value subject; returns its schema id. */
export async function registerDtsRecordSchema(registryUrl: string, topic: string): Promise<number> {
  const { SchemaRegistry, SchemaType } = await import("@kafkajs/confluent-schema-registry");
  const registry = new SchemaRegistry({ host: registryUrl });
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: dtsRecordSchemaJson() }, { subject: valueSubject(topic) });
  return id;
}

/**
 * Whether a registry's refusal may pass by itself: an answer in 4xx (wrong credentials, no
 * right to the subject, a schema it will not take) stays the same however often it is asked,
 * except a timeout (408) or a rate limit (429); no answer or a 5xx may.
 */
/** Socket errors: the request reached no registry. */
const NO_ANSWER = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up)\b/;

export function registryFailure(error: unknown): { retriable: boolean; hint: string } {
  const status = (error as { status?: unknown }).status;
  // The registry's HTTP client reports a request that got no answer (refused, reset, a name
  // not found) as status 400, with the socket's error as the message: not the registry's word.
  const unanswered = NO_ANSWER.test(error instanceof Error ? error.message : String(error));
  const refused = !unanswered && typeof status === "number" && status >= 400 && status < 500 && status !== 408 && status !== 429;
  if (!refused) return { retriable: true, hint: "check that the schema registry is reachable and accepts the subject" };
  if (status === 401 || status === 403) return { retriable: false, hint: "check the user in the schema_registry URL and schema_registry_password, and that the user may register the subject" };
  return { retriable: false, hint: "check that the registry accepts the subject (its compatibility setting) and the schema" };
}

/** The registry's URL as messages show it: without the user's password. */
export const registryUrlText = maskUrlPassword;

/**
 * A registry's error as messages show it: a registry (or a proxy before it) may echo the
 * request's Basic credentials or the password in its reply, so both are masked.
 */
export function registryErrorText(registryUrl: string, message: string): string {
  let text = message.replace(/(Basic\s+)[A-Za-z0-9+/=]+/gi, "$1***");
  try {
    const url = new URL(registryUrl);
    const password = decodeURIComponent(url.password);
    for (const secret of [password, url.password, Buffer.from(`${decodeURIComponent(url.username)}:${password}`).toString("base64")]) {
      if (secret.length > 0) text = text.split(secret).join("***");
    }
  } catch {
    // Not a URL: nothing of it to mask.
  }
  return text;
}
