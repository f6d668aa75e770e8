// The real client libraries of our two formats, resolved from Maven Central into the stack's
// cache (as Kafka's jars are) and driven by java/CompatDecode.java, compiled once per source
// change. `npx tsx test/compat/prepare.ts` does both ahead of the tests (a CI step of its own).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stackConfig } from "../../scripts/stack/config.js";
import { resolveMavenJars, type MavenArtifact } from "../../scripts/stack/maven-jars.js";
import { runQuiet } from "../../scripts/stack/processes.js";

/** The versions the suite verifies; README's format section names the same ones. */
export const CLIENT_VERSIONS = { dtsSdk: "2.0.0", canal: "1.1.8", fastjson2: "2.0.31", flink: "2.2.0" } as const;

const ARTIFACTS: MavenArtifact[] = [
  { groupId: "com.aliyun.dts", artifactId: "dts-new-subscribe-sdk", version: CLIENT_VERSIONS.dtsSdk },
  { groupId: "com.alibaba.otter", artifactId: "canal.protocol", version: CLIENT_VERSIONS.canal },
  { groupId: "com.alibaba.fastjson2", artifactId: "fastjson2", version: CLIENT_VERSIONS.fastjson2 },
  { groupId: "org.apache.flink", artifactId: "flink-json", version: CLIENT_VERSIONS.flink },
  { groupId: "org.apache.flink", artifactId: "flink-table-common", version: CLIENT_VERSIONS.flink },
  { groupId: "org.apache.flink", artifactId: "flink-core", version: CLIENT_VERSIONS.flink },
];

const sourceDir = join(import.meta.dirname, "java");

export type CompatClient = "dts-sdk" | "canal" | "flink";

/** One client's decoding of a message, or why it failed. */
export interface ClientResult {
  message?: Record<string, unknown>;
  error?: string;
}

/** One Kafka message as CompatDecode printed it, with each client's result. */
export interface DecodedLine {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  clients: Partial<Record<CompatClient, ClientResult>>;
}

/** The class path of the compiled decoder and its jars, resolving and compiling what is missing. */
export async function prepareCompatClients(announce: (message: string) => void = () => undefined): Promise<string> {
  const dir = join(stackConfig().cacheDir, "compat-clients");
  const jars = await resolveMavenJars({ dir, title: "the compatibility clients (DTS SDK, canal, Flink)", artifacts: ARTIFACTS, announce });
  const sources = readdirSync(sourceDir).filter((f) => f.endsWith(".java")).sort();
  const hash = createHash("sha256");
  for (const file of sources) hash.update(file).update(readFileSync(join(sourceDir, file)));
  hash.update(readFileSync(join(dir, "resolved")));
  const classes = join(dir, "classes");
  const marker = join(classes, ".sources");
  const digest = hash.digest("hex");
  if (!existsSync(marker) || readFileSync(marker, "utf8") !== digest) {
    announce(`compiling ${sources.join(", ")} into ${classes}`);
    rmSync(classes, { recursive: true, force: true });
    mkdirSync(classes, { recursive: true });
    await runQuiet("javac", ["-nowarn", "-encoding", "UTF-8", "-d", classes, "-cp", jars.classPath, ...sources.map((f) => join(sourceDir, f))]);
    writeFileSync(marker, digest);
  }
  return `${classes}:${jars.classPath}`;
}

/** Every message of `topics`, in topic order, as each of `clients` decodes it (one JVM run). */
export async function decodeTopics(classPath: string, brokers: string, clients: CompatClient[], topics: string[], flinkSchemaFile?: string): Promise<DecodedLine[]> {
  // The DTS SDK's DateTime reads a JDK-internal zone table; Java 17 lets it only when exported,
  // as every SDK user on Java 17 must do too.
  const args = ["--add-exports", "java.base/sun.util.calendar=ALL-UNNAMED", "-cp", classPath, "CompatDecode", brokers, clients.join(","), topics.join(","), ...(flinkSchemaFile ? [flinkSchemaFile] : [])];
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (exitCode) => resolve({ stdout: out, stderr: err, code: exitCode }));
  });
  if (code !== 0) throw new Error(`CompatDecode ${clients.join(",")} ${topics.join(",")} exited with ${code}:\n${stderr.slice(-3000)}`);
  // The libraries log through whichever slf4j binding wins; only our JSON lines are read.
  return stdout.split("\n").filter((line) => line.startsWith('{"topic"')).map((line) => JSON.parse(line) as DecodedLine);
}
