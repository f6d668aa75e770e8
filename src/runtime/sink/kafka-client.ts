// Builds the kafkajs client for a plan's destination: brokers, TLS with an optional CA file,
// SASL SCRAM-SHA-256/512 or PLAIN, and the compression codec (gzip is built into kafkajs; the
// others come from compression-codecs.ts, registered here so every client built here reads them).
import { readFileSync } from "node:fs";
import kafkajs, { type KafkaConfig, type LogEntry, type SASLOptions } from "kafkajs";
import type { KafkaDestination } from "../../generated/plan.js";
import { RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { codecs, registerCodecs } from "./compression-codecs.js";
import { applyKafkajsFixes } from "./kafkajs-fixes.js";
import { applyRequestFraming } from "./request-framing.js";
import type { BatchCompression } from "./record-batch.js";

// kafkajs is CommonJS; under plain Node ESM only its default export is reliable.
const { CompressionCodecs, CompressionTypes, Kafka, logLevel } = kafkajs;
type Kafka = kafkajs.Kafka;

/** The destination's kafkajs settings, with SASL credentials src/runtime/connections.ts resolved. */
export function kafkaConfig(destination: KafkaDestination, sasl: SASLOptions | null): KafkaConfig {
  const config: KafkaConfig = {
    clientId: destination.clientId,
    brokers: destination.brokers,
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    // Our own retry loop owns the retry window; kafkajs only smooths over short blips.
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  };
  if (destination.tls.enabled) {
    let ca: string | undefined;
    if (destination.tls.caFile) {
      try {
        ca = readFileSync(destination.tls.caFile, "utf8");
      } catch (error) {
        throw new RuntimeError("config", `destination TLS CA file ${destination.tls.caFile} cannot be read`, { cause: error, hint: "check the file named by tls = verify(...) in the spec: it must exist and be readable" });
      }
    }
    const verifyHostname = destination.tls.verifyHostname !== false;
    config.ssl = {
      rejectUnauthorized: true,
      ...(ca === undefined ? {} : { ca: [ca] }),
      ...(verifyHostname ? {} : { checkServerIdentity: () => undefined }),
    };
  }
  if (sasl) config.sasl = sasl;
  return config;
}

/** The settings with kafkajs' logging routed to `log` at debug. */
export function withLogger(config: KafkaConfig, log: Logger): KafkaConfig {
  return {
    ...config,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      // kafkajs is loud during outages; the pipeline reports outages itself, so keep these at debug.
      log.debug({ component: "kafkajs", namespace: entry.namespace, broker: extra.broker, error: extra.error }, message);
    },
  };
}

export function createKafka(config: KafkaConfig, log: Logger): Kafka {
  registerCodecs();
  applyKafkajsFixes();
  applyRequestFraming();
  return new Kafka(withLogger(config, log));
}

/** How record batches are compressed for the plan's choice, or null for none. */
export async function batchCompression(compression: KafkaDestination["compression"]): Promise<BatchCompression | null> {
  if (compression === "none") return null;
  if (compression === "gzip") {
    const gzip = (CompressionCodecs as unknown as Record<number, () => KafkajsCodec>)[CompressionTypes.GZIP]!();
    return { attribute: CompressionTypes.GZIP, compress: (records) => gzip.compress({ buffer: records }) };
  }
  const { type, codec } = codecs[compression];
  return { attribute: type, compress: (records) => codec.compress(records) };
}

interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
}
