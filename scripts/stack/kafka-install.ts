// Kafka comes from Maven Central: kafka_2.13 and its runtime dependencies are resolved with
// Maven into a cache outside the project, so fresh clones and CI reruns reuse the jars.
import { join } from "node:path";
import { KAFKA_VERSION, SCALA_VERSION } from "./config.js";
import { resolveMavenJars } from "./maven-jars.js";
import { progress } from "./processes.js";

export interface KafkaInstallation {
  version: string;
  libsDir: string;
  /** Java class path covering every jar of libsDir. */
  classPath: string;
}

/** The cached Kafka jars, resolving them with Maven when missing. */
export async function ensureKafkaInstalled(cacheDir: string): Promise<KafkaInstallation> {
  const jars = await resolveMavenJars({
    dir: join(cacheDir, `kafka-${KAFKA_VERSION}`),
    title: `Kafka ${KAFKA_VERSION} (kafka_${SCALA_VERSION})`,
    artifacts: [
      { groupId: "org.apache.kafka", artifactId: `kafka_${SCALA_VERSION}`, version: KAFKA_VERSION },
      // The broker logs through slf4j; the Maven artifact leaves the binding to the
      // distribution, which ships slf4j-reload4j. Without it the broker runs silently.
      { groupId: "org.slf4j", artifactId: "slf4j-reload4j", version: "1.7.36" },
    ],
    announce: progress,
    showMavenOutput: true,
  });
  return { version: KAFKA_VERSION, ...jars };
}
