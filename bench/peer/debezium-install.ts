// Debezium, the second peer, runs the way most people run it: inside Kafka Connect. Connect's
// runtime (at the broker's version), its JSON converter and Debezium's MariaDB connector come
// from Maven Central like Kafka and Maxwell: `mvn dependency:copy-dependencies` on a generated
// pom into a cache outside the project, one folder per Debezium and Connect version.
import { join } from "node:path";
import { stackConfig } from "../../scripts/stack/config.js";
import { kafkaLoggingArtifacts } from "../../scripts/stack/kafka-install.js";
import { resolveMavenJars, type MavenArtifact } from "../../scripts/stack/maven-jars.js";

/**
 * The newest Debezium whose MariaDB connector Maven Central serves here: 3.6.1.Final resolves
 * for the MySQL connector but not for the MariaDB one. The connector brings the MariaDB JDBC
 * driver (3.5.x) and the binlog client with it.
 */
export const DEBEZIUM_VERSION = "3.5.0.Final";

/**
 * Apicurio's Avro converter, at the release of the stack's registry: Confluent's AvroConverter
 * is not on Maven Central. Its JSON Schema serde needs a library Maven Central does not serve,
 * and only the Avro one is used, so that serde is left out.
 */
export const APICURIO_CONVERTER: MavenArtifact = {
  groupId: "io.apicurio", artifactId: "apicurio-registry-utils-converter", version: "2.4.2.Final",
  exclusions: [{ groupId: "io.apicurio", artifactId: "apicurio-registry-serdes-jsonschema-serde" }],
};

export type DebeziumConverter = "json" | "avro";

export interface DebeziumInstallation {
  debeziumVersion: string;
  connectVersion: string;
  /** Kafka Connect's major version picks its logging backend (log4j 1 or log4j2). */
  connectMajor: number;
  libsDir: string;
  /** Java class path covering every jar of libsDir. */
  classPath: string;
}

export function debeziumArtifacts(connectVersion: string, converter: DebeziumConverter): MavenArtifact[] {
  const kafka = (artifactId: string): MavenArtifact => ({ groupId: "org.apache.kafka", artifactId, version: connectVersion });
  return [
    kafka("connect-runtime"),
    kafka("connect-json"),
    { groupId: "io.debezium", artifactId: "debezium-connector-mariadb", version: DEBEZIUM_VERSION },
    ...kafkaLoggingArtifacts(Number(connectVersion.split(".")[0])),
    ...(converter === "avro" ? [APICURIO_CONVERTER] : []),
  ];
}

/** The cached Connect + Debezium jars for a broker version, resolving them with Maven when missing. */
export async function ensureDebeziumInstalled(connectVersion: string, converter: DebeziumConverter, log: (message: string) => void): Promise<DebeziumInstallation> {
  const suffix = converter === "avro" ? `-apicurio-${APICURIO_CONVERTER.version}` : "";
  const jars = await resolveMavenJars({
    dir: join(stackConfig().cacheDir, `debezium-${DEBEZIUM_VERSION}-connect-${connectVersion}${suffix}`),
    title: `Kafka Connect ${connectVersion} with io.debezium:debezium-connector-mariadb:${DEBEZIUM_VERSION}${suffix ? " and Apicurio's Avro converter" : ""}`,
    artifacts: debeziumArtifacts(connectVersion, converter),
    announce: log,
  });
  return { debeziumVersion: DEBEZIUM_VERSION, connectVersion, connectMajor: Number(connectVersion.split(".")[0]), ...jars };
}
