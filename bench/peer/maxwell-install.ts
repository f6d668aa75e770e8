// Maxwell's daemon, the benchmark's peer, comes from Maven Central the way the stack's Kafka
// does: `mvn dependency:copy-dependencies` on a generated pom into a cache outside the project.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stackConfig } from "../../scripts/stack/config.js";
import { runQuiet } from "../../scripts/stack/processes.js";

/** The newest Maxwell on Maven Central (the only other one there is 1.17.0). */
export const MAXWELL_VERSION = "1.22.6";

const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.dts-kafka</groupId>
  <artifactId>maxwell-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>com.zendesk</groupId><artifactId>maxwell</artifactId><version>${MAXWELL_VERSION}</version></dependency>
  </dependencies>
</project>
`;

export interface MaxwellInstallation {
  version: string;
  libsDir: string;
  /** Java class path covering every jar of libsDir. */
  classPath: string;
}

/** The cached Maxwell jars, resolving them with Maven when missing. */
export async function ensureMaxwellInstalled(log: (message: string) => void): Promise<MaxwellInstallation> {
  const dir = join(stackConfig().cacheDir, `maxwell-${MAXWELL_VERSION}`);
  const libsDir = join(dir, "libs");
  const marker = join(dir, "resolved");
  const pomHash = createHash("sha256").update(POM).digest("hex");
  const installation = { version: MAXWELL_VERSION, libsDir, classPath: join(libsDir, "*") };
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === pomHash) return installation;

  log(`resolving com.zendesk:maxwell:${MAXWELL_VERSION} and its dependencies from Maven Central into ${libsDir}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "pom.xml"), POM);
  rmSync(libsDir, { recursive: true, force: true });
  try {
    await runQuiet("mvn", ["-B", "-q", "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${libsDir}`], { cwd: dir });
  } catch (error) {
    throw new Error(`could not resolve Maxwell ${MAXWELL_VERSION} with Maven (${(error as Error).message.split("\n").slice(0, 5).join(" ")}); check that mvn and Java 17 are installed and Maven Central is reachable`);
  }
  writeFileSync(marker, `${pomHash}\n`);
  return installation;
}
