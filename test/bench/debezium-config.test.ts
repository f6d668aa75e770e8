// What Debezium is told: a fresh connector per workload that snapshots only for the initial sync,
// reads exactly the bench table and writes to the harness's topic, as JSON without schemas.
import { describe, expect, it } from "vitest";
import { connectorConfig, literalRegex, loggingConfig, workerProperties, type ConnectorSettings } from "../../bench/peer/debezium-config.js";
import { debeziumArtifacts } from "../../bench/peer/debezium-install.js";

const settings: ConnectorSettings = {
  mysqlHost: "127.0.0.1", mysqlPort: 23306, user: "bench_debezium", password: "secret",
  database: "bench_abc", table: "streaming_debezium", topic: "bench.abc.streaming.debezium",
  initialSync: false, historyFile: "/tmp/work/schema-history.dat", converter: "json",
};

function parseProperties(text: string): Map<string, string> {
  return new Map(text.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

describe("Debezium's connector config", () => {
  it("snapshots the table only for the initial sync", () => {
    expect(connectorConfig(settings)["snapshot.mode"]).toBe("no_data");
    expect(connectorConfig({ ...settings, initialSync: true })["snapshot.mode"]).toBe("initial");
  });

  it("captures exactly the bench table: the dots of its name are literal", () => {
    const config = connectorConfig(settings);
    expect(config["table.include.list"]).toBe("bench_abc\\.streaming_debezium");
    const include = new RegExp(`^${config["table.include.list"]}$`);
    expect(include.test("bench_abc.streaming_debezium")).toBe(true);
    expect(include.test("bench_abcXstreaming_debezium")).toBe(false);
  });

  it("routes the table's topic, and only it, to the harness's topic", () => {
    const config = connectorConfig(settings);
    const route = new RegExp(`^${config["transforms.route.regex"]}$`);
    expect(route.test("bench_debezium.bench_abc.streaming_debezium")).toBe(true);
    expect(route.test("bench_debezium")).toBe(false);
    expect(config["transforms.route.replacement"]).toBe(settings.topic);
  });

  it("writes decimals as strings in JSON, as Avro decimals in Avro, and no schema-change events", () => {
    const config = connectorConfig(settings);
    expect(config["decimal.handling.mode"]).toBe("string");
    expect(connectorConfig({ ...settings, converter: "avro" })["decimal.handling.mode"]).toBe("precise");
    expect(config["include.schema.changes"]).toBe("false");
  });

  it("escapes every regex metacharacter", () => {
    expect(new RegExp(`^${literalRegex("a.b*c(d)")}$`).test("a.b*c(d)")).toBe(true);
  });
});

describe("Kafka Connect's worker properties", () => {
  const base = { bootstrapServers: "127.0.0.1:29092", offsetsFile: "/tmp/work/offsets.dat", restPort: 40123 };
  const worker = parseProperties(workerProperties({ ...base, converter: { kind: "json" } }));

  it("converts keys and values to JSON without schemas", () => {
    expect(worker.get("value.converter")).toBe("org.apache.kafka.connect.json.JsonConverter");
    expect(worker.get("key.converter.schemas.enable")).toBe("false");
    expect(worker.get("value.converter.schemas.enable")).toBe("false");
  });

  it("converts keys and values to Avro with Apicurio's converter against the registry's own API", () => {
    const avro = parseProperties(workerProperties({ ...base, converter: { kind: "avro", registryApiUrl: "http://127.0.0.1:28081/apis/registry/v2" } }));
    for (const side of ["key", "value"]) {
      expect(avro.get(`${side}.converter`)).toBe("io.apicurio.registry.utils.converter.AvroConverter");
      expect(avro.get(`${side}.converter.apicurio.registry.url`)).toBe("http://127.0.0.1:28081/apis/registry/v2");
      expect(avro.get(`${side}.converter.apicurio.registry.auto-register`)).toBe("true");
    }
  });

  it("listens on the given local port instead of 8083 and keeps offsets in the work folder", () => {
    expect(worker.get("listeners")).toBe("http://127.0.0.1:40123");
    expect(worker.get("offset.storage.file.filename")).toBe("/tmp/work/offsets.dat");
  });
});

describe("Debezium's installation", () => {
  it("takes Kafka Connect at the broker's version, with the logging binding of that major", () => {
    const v3 = debeziumArtifacts("3.9.1", "json").map((a) => `${a.artifactId}:${a.version}`);
    expect(v3).toEqual(expect.arrayContaining(["connect-runtime:3.9.1", "connect-json:3.9.1", "slf4j-reload4j:1.7.36"]));
    expect(v3.some((a) => a.startsWith("debezium-connector-mariadb:3."))).toBe(true);
    expect(debeziumArtifacts("4.1.0", "json").map((a) => a.artifactId)).toContain("log4j-slf4j-impl");
    expect(loggingConfig(4).jvmFlag("/x")).toBe("-Dlog4j2.configurationFile=/x");
    expect(loggingConfig(3).jvmFlag("/x")).toBe("-Dlog4j.configuration=file:/x");
  });

  it("adds Apicurio's converter, without its JSON Schema serde, only for Avro", () => {
    expect(debeziumArtifacts("3.9.1", "json").map((a) => a.artifactId)).not.toContain("apicurio-registry-utils-converter");
    const converter = debeziumArtifacts("3.9.1", "avro").find((a) => a.artifactId === "apicurio-registry-utils-converter");
    expect(converter?.exclusions).toEqual([{ groupId: "io.apicurio", artifactId: "apicurio-registry-serdes-jsonschema-serde" }]);
  });
});
