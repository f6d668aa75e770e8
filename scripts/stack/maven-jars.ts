// Java programs come from Maven Central: a generated pom whose runtime dependencies Maven copies
// into a cache folder outside the project, so fresh clones and CI reruns reuse the jars. The
// folder is resolved again only when the pom changes (its hash is the marker).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runQuiet, runVisible } from "./processes.js";

export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
  /** Transitive dependencies to leave out (e.g. ones Maven Central does not serve and nothing here uses). */
  exclusions?: Array<{ groupId: string; artifactId: string }>;
}

export interface ResolvedJars {
  libsDir: string;
  /** Java class path covering every jar of libsDir. */
  classPath: string;
}

export interface ResolveOptions {
  /** Cache folder of this program, e.g. ~/.cache/dts-kafka/kafka-3.9.1. */
  dir: string;
  /** What is resolved, for messages: "Kafka 3.9.1". */
  title: string;
  artifacts: MavenArtifact[];
  announce: (message: string) => void;
  /** Show Maven's own output (long first-time downloads) instead of keeping it for errors. */
  showMavenOutput?: boolean;
}

function pom(artifacts: MavenArtifact[]): string {
  const dependencies = artifacts
    .map((a) => {
      const exclusions = (a.exclusions ?? []).map((e) => `<exclusion><groupId>${e.groupId}</groupId><artifactId>${e.artifactId}</artifactId></exclusion>`).join("");
      return `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version>${exclusions ? `<exclusions>${exclusions}</exclusions>` : ""}</dependency>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.dts-kafka</groupId>
  <artifactId>cached-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}

/** The cached jars, resolved with `mvn dependency:copy-dependencies` when missing or stale. */
export async function resolveMavenJars(options: ResolveOptions): Promise<ResolvedJars> {
  const { dir } = options;
  const libsDir = join(dir, "libs");
  const marker = join(dir, "resolved");
  const text = pom(options.artifacts);
  const hash = createHash("sha256").update(text).digest("hex");
  const resolved = { libsDir, classPath: join(libsDir, "*") };
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === hash) return resolved;

  options.announce(`resolving ${options.title} and its dependencies from Maven Central into ${libsDir}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "pom.xml"), text);
  rmSync(libsDir, { recursive: true, force: true });
  const args = ["-B", "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${libsDir}`];
  try {
    if (options.showMavenOutput) await runVisible("mvn", args, { cwd: dir });
    else await runQuiet("mvn", ["-q", ...args], { cwd: dir });
  } catch (error) {
    const reason = (error as Error).message.split("\n").slice(0, 5).join(" ");
    throw new Error(`could not resolve ${options.title} with Maven (${reason}); check that mvn and Java 17 are installed and Maven Central is reachable`);
  }
  writeFileSync(marker, `${hash}\n`);
  return resolved;
}
