// Kafka comes from Maven Central: kafka_2.13 and its runtime dependencies are resolved with
// Maven into a cache outside the project, so fresh clones and CI reruns reuse the jars.
// DTS_STACK_KAFKA_VERSION picks the release (3.9.x or 4.x); the state folder remembers which
// one formatted its storage, so a restart without the variable keeps the same broker.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KAFKA_VERSION, SCALA_VERSION } from "./config.js";
import { resolveMavenJars, type MavenArtifact } from "./maven-jars.js";
import { progress } from "./processes.js";

export interface KafkaInstallation {
  version: string;
  /** 4.x logs through log4j2 and accepts only the newer protocol versions (KIP-896). */
  major: number;
  libsDir: string;
  /** Java class path covering every jar of libsDir. */
  classPath: string;
}

const versionFile = (kafkaDir: string) => join(kafkaDir, "version");

/** The Kafka release of a stack: the one its storage was formatted with, else the variable, else the default. */
export function kafkaVersion(kafkaDir: string): string {
  const requested = process.env.DTS_STACK_KAFKA_VERSION || undefined;
  if (requested !== undefined && !/^\d+\.\d+\.\d+$/.test(requested)) {
    throw new Error(`DTS_STACK_KAFKA_VERSION=${requested} is not a Kafka release such as ${KAFKA_VERSION} or 4.1.0`);
  }
  // Storage formatted before the version was recorded can only be the former fixed release.
  const formatted = existsSync(join(kafkaDir, "data", "meta.properties"));
  const recorded = existsSync(versionFile(kafkaDir)) ? readFileSync(versionFile(kafkaDir), "utf8").trim() : formatted ? KAFKA_VERSION : undefined;
  if (recorded !== undefined && requested !== undefined && recorded !== requested) {
    throw new Error(`the Kafka storage in ${kafkaDir} was formatted by Kafka ${recorded}, not ${requested}: unset DTS_STACK_KAFKA_VERSION, or run stack:down and delete ${kafkaDir} to start an empty Kafka ${requested}`);
  }
  return recorded ?? requested ?? KAFKA_VERSION;
}

export function recordKafkaVersion(kafkaDir: string, version: string): void {
  writeFileSync(versionFile(kafkaDir), `${version}\n`);
}

/**
 * What the binary distribution adds to the broker artifact: a logging binding (without one the
 * broker logs nothing) and, from 4.x on, kafka-tools, where 4.3 moved DumpLogSegments out of
 * the broker jar (the codec test reads segments with it).
 */
function toolsAndLogging(major: number, version: string): MavenArtifact[] {
  const tools: MavenArtifact[] = major < 4 ? [] : [{ groupId: "org.apache.kafka", artifactId: "kafka-tools", version }];
  return [...tools, ...kafkaLoggingArtifacts(major)];
}

/** The logging binding Kafka's distribution ships for a major version; Kafka Connect uses the same. */
export function kafkaLoggingArtifacts(major: number): MavenArtifact[] {
  if (major < 4) return [{ groupId: "org.slf4j", artifactId: "slf4j-reload4j", version: "1.7.36" }];
  // Kafka 4 logs through log4j2 behind slf4j 1.7; declaring core and binding at one version keeps them in step.
  const log4j2 = (artifactId: string): MavenArtifact => ({ groupId: "org.apache.logging.log4j", artifactId, version: "2.25.5" });
  return [log4j2("log4j-core"), log4j2("log4j-slf4j-impl")];
}

/** The cached Kafka jars of `version`, resolving them with Maven when missing. */
export async function ensureKafkaInstalled(cacheDir: string, version: string): Promise<KafkaInstallation> {
  const major = Number(version.split(".")[0]);
  const jars = await resolveMavenJars({
    dir: join(cacheDir, `kafka-${version}`),
    title: `Kafka ${version} (kafka_${SCALA_VERSION})`,
    artifacts: [{ groupId: "org.apache.kafka", artifactId: `kafka_${SCALA_VERSION}`, version }, ...toolsAndLogging(major, version)],
    announce: progress,
    showMavenOutput: true,
  });
  return { version, major, ...jars };
}
