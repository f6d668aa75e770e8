// Builds the kafkajs client for a plan's destination: brokers, TLS with an optional CA file,
// SASL SCRAM-SHA-256/512 or PLAIN, and the compression codec (gzip is built into kafkajs; the
// others need a codec package registered before the producer starts).
import { readFileSync } from "node:fs";
import kafkajs, { type KafkaConfig, type LogEntry, type SASLOptions } from "kafkajs";
import type { KafkaDestination } from "../../generated/plan.js";
import { RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { BatchCompression } from "./record-batch.js";

// kafkajs is CommonJS; under plain Node ESM only its default export is reliable.
const { CompressionCodecs, CompressionTypes, Kafka, logLevel } = kafkajs;
type CompressionTypes = kafkajs.CompressionTypes;
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
        throw new RuntimeError("config", `destination TLS CA file ${destination.tls.caFile} cannot be read`, { cause: error, hint: "check tls.ca_file in the spec" });
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
  return new Kafka(withLogger(config, log));
}

/** kafkajs pre-fills every codec slot with a factory that throws until a codec is registered. */
function codecRegistered(factory: (() => unknown) | undefined): boolean {
  try {
    return factory !== undefined && factory() !== undefined;
  } catch {
    return false;
  }
}

const codecPackages: Record<string, { type: CompressionTypes; pkg: string }> = {
  snappy: { type: CompressionTypes.Snappy, pkg: "kafkajs-snappy" },
  lz4: { type: CompressionTypes.LZ4, pkg: "kafkajs-lz4" },
  zstd: { type: CompressionTypes.ZSTD, pkg: "@kafkajs/zstd" },
};

/** The kafkajs compression type for the plan's choice, registering its codec when one is needed. */
export async function compressionType(compression: KafkaDestination["compression"]): Promise<CompressionTypes> {
  if (compression === "none") return CompressionTypes.None;
  if (compression === "gzip") return CompressionTypes.GZIP;
  const codec = codecPackages[compression] as { type: CompressionTypes; pkg: string };
  const codecs = CompressionCodecs as unknown as Record<number, () => unknown>;
  if (codecRegistered(codecs[codec.type])) return codec.type;
  try {
    const module = (await import(codec.pkg)) as { default: unknown };
    const factory = module.default as (() => unknown) | { new (): unknown };
    const instance = typeof factory === "function" ? (factory as () => unknown)() : factory;
    codecs[codec.type] = () => instance;
    return codec.type;
  } catch (error) {
    throw new RuntimeError("unsupported", `compression ${compression} needs the npm package ${codec.pkg}, which is not installed`, {
      cause: error,
      hint: `install it with \`npm install ${codec.pkg}\`, or use compression = gzip or none`,
    });
  }
}

interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
}

/** How record batches are compressed for the plan's choice: kafkajs' registered codec, or none. */
export async function batchCompression(compression: KafkaDestination["compression"]): Promise<BatchCompression | null> {
  const type = await compressionType(compression);
  if (type === CompressionTypes.None) return null;
  const codec = (CompressionCodecs as unknown as Record<number, () => KafkajsCodec>)[type]?.() as KafkajsCodec;
  return { attribute: type, compress: (records) => codec.compress({ buffer: records }) };
}
