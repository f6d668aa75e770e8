// Which Kafka release a stack runs: restarts (the outage tests) must get the release that
// formatted the storage even without DTS_STACK_KAFKA_VERSION, and a different request must not
// start another release on that storage.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KAFKA_VERSION } from "../../scripts/stack/config.js";
import { kafkaVersion, recordKafkaVersion } from "../../scripts/stack/kafka-install.js";

const emptyKafkaDir = () => mkdtempSync(join(tmpdir(), "dts-kafka-version-"));

describe("kafkaVersion", () => {
  afterEach(() => void delete process.env.DTS_STACK_KAFKA_VERSION);

  it("uses the default, or the requested release, for new storage", () => {
    expect(kafkaVersion(emptyKafkaDir())).toBe(KAFKA_VERSION);
    process.env.DTS_STACK_KAFKA_VERSION = "4.4.0";
    expect(kafkaVersion(emptyKafkaDir())).toBe("4.4.0");
  });

  it("keeps the release that formatted the storage when the variable is unset", () => {
    const dir = emptyKafkaDir();
    recordKafkaVersion(dir, "4.4.0");
    expect(kafkaVersion(dir)).toBe("4.4.0");
  });

  it("takes storage formatted before versions were recorded for the former fixed release", () => {
    const dir = emptyKafkaDir();
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "data", "meta.properties"), "version=1\n");
    process.env.DTS_STACK_KAFKA_VERSION = "4.4.0";
    expect(() => kafkaVersion(dir)).toThrow(`formatted by Kafka ${KAFKA_VERSION}, not 4.4.0`);
  });

  it("refuses a release name that is not one", () => {
    process.env.DTS_STACK_KAFKA_VERSION = "latest";
    expect(() => kafkaVersion(emptyKafkaDir())).toThrow("is not a Kafka release such as");
  });
});
