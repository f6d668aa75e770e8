// Every compression codec of the spec language against the real broker: the pipeline's own
// producer writes compressed record batches, the broker accepts them (it decompresses them to
// validate), a kafkajs consumer reads them back, and Kafka's own Java decoder (DumpLogSegments
// over the topic's log segment, with the jars the stack's broker runs on) reads the same values.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { KafkaDestination } from "../../src/generated/plan.js";
import { registerCodecs } from "../../src/runtime/sink/compression-codecs.js";
import { stackConfig } from "../../scripts/stack/config.js";
import { kafkaVersion } from "../../scripts/stack/kafka-install.js";
import { javaBinary } from "../../scripts/stack/processes.js";
import { decodeChanges, pipelinePlan, readSettled, rule, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const config = stackConfig();
const brokerVersion = kafkaVersion(join(config.stateDir, "kafka"));
const kafkaLibs = join(config.cacheDir, `kafka-${brokerVersion}`, "libs");
// Kafka 4.3 moved the tool from the broker jar (Scala) to kafka-tools (Java).
const dumpTool = /^(3|4\.[0-2])\./.test(brokerVersion) ? "kafka.tools.DumpLogSegments" : "org.apache.kafka.tools.DumpLogSegments";
const kafkaData = join(config.stateDir, "kafka", "data");

/** Kafka's Java decoder on the topic's first segment: each record's codec and payload as it prints them. */
function javaDump(topic: string): string {
  const dir = join(kafkaData, `${topic}-0`);
  const segment = readdirSync(dir).find((f) => f.endsWith(".log")) as string;
  return execFileSync(javaBinary(), ["-cp", join(kafkaLibs, "*"), dumpTool, "--deep-iteration", "--print-data-log", "--files", join(dir, segment)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("Kafka compression codecs", () => {
  const { database, db } = useTestDatabase("rt_codec", (database) => [`CREATE TABLE ${database}.t (id INT PRIMARY KEY, v VARCHAR(200))`]);

  const codecs = ["snappy", "lz4", "zstd", "gzip"] as const;

  it.each(codecs)("delivers %s-compressed batches that kafkajs and Kafka's Java decoder read back", async (codec) => {
    registerCodecs();
    const topic = uniqueName(`rt-${codec}`);
    const plan = pipelinePlan(uniqueName(codec), topic, [rule(database, "t")]);
    (plan.pipelines[0] as { destination: KafkaDestination }).destination.compression = codec;
    const runtime = await startInProcess(plan);
    const first = codecs.indexOf(codec) * 100;
    const rows = Array.from({ length: 50 }, (_, i) => [first + i, `${codec}-${i}-${"x".repeat(150)}`] as const);
    try {
      await db().query(`INSERT INTO ${database}.t VALUES ?`, [rows]);
      const changes = decodeChanges("canal-json", await readSettled(topic, rows.length));
      expect(changes.map((c) => c.after?.v)).toEqual(rows.map(([, v]) => v));
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
    if (!existsSync(kafkaLibs) || !existsSync(kafkaData)) return;
    const dump = javaDump(topic);
    expect(dump).toContain(`compresscodec: ${codec}`);
    for (const [, v] of rows) expect(dump).toContain(v);
  });
});
