// A real Confluent-compatible schema registry for the tests of registry framing: Apicurio
// Registry 2.4.2.Final with in-memory storage, serving Confluent's REST API under
// /apis/ccompat/v7. Apicurio publishes no runnable jar on Maven Central, so the Maven project in
// scripts/stack/schema-registry/ builds one (Quarkus legacy jar) into the cache folder; it is
// built again only when that project changes. Its schemas live in memory: a restart empties it.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot, stackConfig, type StackConfig } from "./config.js";
import { javaBinary, portInUse, progress, runningPid, runVisible, startDaemon, stopDaemon, waitUntil } from "./processes.js";

export const SCHEMA_REGISTRY_VERSION = "Apicurio Registry 2.4.2.Final";
/** Where Apicurio serves the Confluent Schema Registry API. */
export const CONFLUENT_API_PATH = "/apis/ccompat/v7";

const projectDir = join(repoRoot, "scripts/stack/schema-registry");

export interface SchemaRegistryNode {
  pid: number;
  /** Base URL of the Confluent-compatible API, as a pipeline's `schema_registry` takes it. */
  url: string;
  logFile: string;
  /** False when a registry this stack started earlier was still running and is reused. */
  started: boolean;
}

function registryPaths(config: StackConfig) {
  const dir = join(config.stateDir, "schema-registry");
  return { dir, logFile: join(dir, "registry.log"), daemonPid: join(dir, "daemon.pid") };
}

function projectFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? projectFiles(path) : [path];
  }).sort();
}

function projectHash(): string {
  const hash = createHash("sha256");
  for (const file of projectFiles(projectDir)) hash.update(relative(projectDir, file)).update(readFileSync(file));
  return hash.digest("hex");
}

/** The runnable registry jar, built with Maven into the cache when missing or stale. */
export async function ensureSchemaRegistryBuilt(cacheDir: string): Promise<string> {
  const buildDir = join(cacheDir, "apicurio-registry-2.4.2.Final");
  const runner = join(buildDir, "target", "apicurio-registry-runner-1-runner.jar");
  const marker = join(buildDir, "built");
  const hash = projectHash();
  if (existsSync(runner) && existsSync(marker) && readFileSync(marker, "utf8").trim() === hash) return runner;

  progress(`building ${SCHEMA_REGISTRY_VERSION} from Maven Central into ${buildDir}`);
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  cpSync(projectDir, buildDir, { recursive: true });
  try {
    await runVisible("mvn", ["-B", "-q", "package", "-DskipTests"], { cwd: buildDir });
  } catch (error) {
    throw new Error(`could not build ${SCHEMA_REGISTRY_VERSION} with Maven (${(error as Error).message}); check that mvn and Java 17 are installed and Maven Central is reachable`);
  }
  writeFileSync(marker, `${hash}\n`);
  return runner;
}

async function answers(url: string): Promise<void> {
  const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`GET ${url}/subjects answered ${response.status}`);
}

export function schemaRegistryUrl(config: StackConfig = stackConfig()): string {
  return `http://${config.host}:${config.schemaRegistryPort}${CONFLUENT_API_PATH}`;
}

/** Starts the registry, or reuses the one this stack started; returns once its API answers. */
export async function startSchemaRegistry(): Promise<SchemaRegistryNode> {
  const config = stackConfig();
  const paths = registryPaths(config);
  const url = schemaRegistryUrl(config);
  const running = runningPid(paths.daemonPid);
  if (running !== null) {
    await waitUntil(SCHEMA_REGISTRY_VERSION, () => answers(url), { timeoutMs: 60_000, pid: running, logFile: paths.logFile });
    return { pid: running, url, logFile: paths.logFile, started: false };
  }
  if (await portInUse(config.host, config.schemaRegistryPort)) {
    throw new Error(`port ${config.host}:${config.schemaRegistryPort} is taken by a process this stack did not start; stop it or set DTS_STACK_SCHEMA_REGISTRY_PORT`);
  }
  const runner = await ensureSchemaRegistryBuilt(config.cacheDir);
  mkdirSync(paths.dir, { recursive: true });
  progress(`starting ${SCHEMA_REGISTRY_VERSION} on ${config.host}:${config.schemaRegistryPort}`);
  const args = ["-Xmx256m", `-Dquarkus.http.host=${config.host}`, `-Dquarkus.http.port=${config.schemaRegistryPort}`, "-jar", runner];
  const pid = startDaemon(javaBinary(), args, paths.daemonPid, paths.logFile, { cwd: paths.dir });
  await waitUntil(SCHEMA_REGISTRY_VERSION, () => answers(url), { timeoutMs: 120_000, pid, logFile: paths.logFile });
  return { pid, url, logFile: paths.logFile, started: true };
}

export function stopSchemaRegistry(): Promise<boolean> {
  return stopDaemon(registryPaths(stackConfig()).daemonPid, SCHEMA_REGISTRY_VERSION);
}

export function schemaRegistryStatus(): { running: boolean; pid: number | null; url: string; logFile: string } {
  const config = stackConfig();
  const paths = registryPaths(config);
  const pid = runningPid(paths.daemonPid);
  return { running: pid !== null, pid, url: schemaRegistryUrl(config), logFile: paths.logFile };
}
