// Kafka comes from Maven Central: kafka_2.13 and its runtime dependencies are resolved with
// Maven into a cache outside the project, so fresh clones and CI reruns reuse the jars.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KAFKA_VERSION, SCALA_VERSION } from "./config.js";
import { progress, runVisible } from "./processes.js";

// The broker logs through slf4j; the Maven artifact leaves the binding to the distribution,
// which ships slf4j-reload4j. Without it the broker runs silently.
const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.dts-kafka</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_${SCALA_VERSION}</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
`;

export interface KafkaInstallation {
  version: string;
  libsDir: string;
  /** Java class path covering every jar of libsDir. */
  classPath: string;
}

/** The cached Kafka jars, resolving them with `mvn dependency:copy-dependencies` when missing. */
export async function ensureKafkaInstalled(cacheDir: string): Promise<KafkaInstallation> {
  const dir = join(cacheDir, `kafka-${KAFKA_VERSION}`);
  const libsDir = join(dir, "libs");
  const marker = join(dir, "resolved");
  const pomHash = createHash("sha256").update(POM).digest("hex");
  const installation = { version: KAFKA_VERSION, libsDir, classPath: join(libsDir, "*") };
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === pomHash) return installation;

  progress(`resolving Kafka ${KAFKA_VERSION} (kafka_${SCALA_VERSION}) and its dependencies from Maven Central into ${libsDir}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "pom.xml"), POM);
  rmSync(libsDir, { recursive: true, force: true });
  try {
    await runVisible("mvn", ["-B", "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${libsDir}`], { cwd: dir });
  } catch (error) {
    throw new Error(`could not resolve Kafka with Maven (${(error as Error).message}); check that mvn and Java 17 are installed and Maven Central is reachable`);
  }
  writeFileSync(marker, `${pomHash}\n`);
  return installation;
}
