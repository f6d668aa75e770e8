// Maxwell's daemon, the benchmark's peer, comes from Maven Central the way the stack's Kafka
// does: `mvn dependency:copy-dependencies` on a generated pom into a cache outside the project.
import { join } from "node:path";
import { stackConfig } from "../../scripts/stack/config.js";
import { resolveMavenJars } from "../../scripts/stack/maven-jars.js";

/** The newest Maxwell on Maven Central (the only other one there is 1.17.0). */
export const MAXWELL_VERSION = "1.22.6";

export interface MaxwellInstallation {
  version: string;
  libsDir: string;
  /** Java class path covering every jar of libsDir. */
  classPath: string;
}

/** The cached Maxwell jars, resolving them with Maven when missing. */
export async function ensureMaxwellInstalled(log: (message: string) => void): Promise<MaxwellInstallation> {
  const jars = await resolveMavenJars({
    dir: join(stackConfig().cacheDir, `maxwell-${MAXWELL_VERSION}`),
    title: `com.zendesk:maxwell:${MAXWELL_VERSION}`,
    artifacts: [{ groupId: "com.zendesk", artifactId: "maxwell", version: MAXWELL_VERSION }],
    announce: log,
  });
  return { version: MAXWELL_VERSION, ...jars };
}
