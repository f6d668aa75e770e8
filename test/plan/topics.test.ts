// Which topics a pipeline writes, per role, and that every stage asks the same function: the
// compiler's warnings and conflicts, the precheck's topic check, and `dts tail`'s topics.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";
import type { Pipeline } from "../../src/generated/plan.js";
import { checkpointTopics, recordTopics, writtenTopics, type WrittenTopic } from "../../src/plan/topics.js";
import { checkTopics } from "../../src/precheck/kafka-checks.js";
import { pipeline, rule } from "../precheck/fixtures.js";

const withDdlTopic = (extra: Partial<Pipeline> = {}) => {
  const p = pipeline(extra);
  p.destination = { ...p.destination, ddlTopic: "shop.ddl" };
  return p;
};
const schemaSync = { schema: true, data: false, chunkSize: 1000, parallelism: 1, throttle: { rowsPerSecond: null, bytesPerSecond: null } };
const creating = (p: Pipeline): Pipeline => ({ ...p, destination: { ...p.destination, createTopics: { enabled: true, partitions: 3, replicationFactor: 1 } } });
const brief = (topics: WrittenTopic[]) => topics.map((t) => `${t.name}:${t.roles.join("+")}:${t.whenMissing}`);

describe("topics a pipeline writes, by role", () => {
  const cases: { name: string; pipeline: Pipeline; topics: string[] }[] = [
    { name: "data: the default topic", pipeline: withDdlTopic(), topics: ["shop.changes:data:fail"] },
    {
      name: "data: a rule's own topic",
      pipeline: pipeline({ objects: [rule({ exact: "shop" }, { exact: "orders" }), { ...rule({ exact: "shop" }, { exact: "items" }), target: { database: null, table: null, topic: "shop.items" } }] }),
      topics: ["shop.changes:data:fail", "shop.items:data:fail"],
    },
    { name: "ddl: captured DDL", pipeline: withDdlTopic({ ddl: "capture" }), topics: ["shop.changes:data:fail", "shop.ddl:ddl:fail"] },
    { name: "schema: the initial sync's schema records while DDL is ignored", pipeline: withDdlTopic({ initialSync: schemaSync }), topics: ["shop.changes:data:fail", "shop.ddl:schema:fail"] },
    { name: "ddl and schema on the data topic", pipeline: pipeline({ ddl: "capture", initialSync: schemaSync }), topics: ["shop.changes:data+ddl+schema:fail"] },
    { name: "create_topics: created when missing", pipeline: creating(withDdlTopic({ ddl: "capture" })), topics: ["shop.changes:data:create", "shop.ddl:ddl:create"] },
    { name: "checkpoint: always created", pipeline: pipeline({ checkpoint: { directory: ".dts-state", topic: "dts.checkpoints" } }), topics: ["shop.changes:data:fail", "dts.checkpoints:checkpoint:create"] },
  ];
  it.each(cases)("$name", ({ pipeline: p, topics }) => {
    expect(brief(writtenTopics(p))).toEqual(topics);
  });

  it("separates the topics records go to from the compacted checkpoint topic", () => {
    const p = withDdlTopic({ initialSync: schemaSync, checkpoint: { directory: ".dts-state", topic: "dts.checkpoints" } });
    expect(recordTopics(p)).toEqual(["shop.changes", "shop.ddl"]);
    expect(checkpointTopics(p)).toEqual(["dts.checkpoints"]);
    expect(writtenTopics(p).find((t) => t.name === "dts.checkpoints")?.compacted).toBe(true);
  });
});

describe("the precheck's topic check follows the same list", () => {
  it("fails when the DDL topic that the initial sync writes schema records to is missing", () => {
    const result = checkTopics(withDdlTopic({ initialSync: schemaSync }), { existing: { "shop.changes": 1 }, listed: new Set(["shop.changes"]), brokerCount: 1 });
    expect(result).toMatchObject({ status: "fail", reason: expect.stringMatching(/shop\.ddl does not exist.*schema records/) });
  });

  it("does not ask for a DDL topic nothing is written to", () => {
    expect(checkTopics(withDdlTopic(), { existing: { "shop.changes": 1 }, listed: new Set(["shop.changes"]), brokerCount: 1 }).status).toBe("pass");
  });

  it("passes a missing checkpoint topic, which the run creates", () => {
    const result = checkTopics(pipeline({ checkpoint: { directory: ".dts-state", topic: "dts.checkpoints" } }), { existing: { "shop.changes": 1 }, listed: new Set(["shop.changes"]), brokerCount: 1 });
    expect(result).toMatchObject({ status: "pass", reason: expect.stringContaining("dts.checkpoints will be created compacted") });
  });
});

describe("the compiler's view of the DDL topic", () => {
  const spec = (pipelineExtra: string, destinationExtra = 'ddl_topic = "t.ddl"') => `pipeline "p" {
  format = canal-json
  ${pipelineExtra}
  source mysql {
    host = "db"
    user = "u"
  }
  destination kafka {
    brokers = ["k:9092"]
    topic   = "t"
    ${destinationExtra}
  }
  database "d" {}
}
`;
  const messages = (text: string) => compile([{ file: "a.dts", text }]).diagnostics.map((d) => d.message);

  it("warns that ddl_topic has no effect only when nothing is written there (the initial sync sends schema records by default)", () => {
    expect(messages(spec("initial_sync = false"))).toContain("ddl_topic has no effect while DDL is ignored");
    expect(messages(spec(""))).not.toContain("ddl_topic has no effect while DDL is ignored");
    expect(messages(spec("initial_sync { schema = true }"))).not.toContain("ddl_topic has no effect while DDL is ignored");
    expect(messages(spec("ddl = capture"))).not.toContain("ddl_topic has no effect while DDL is ignored");
  });

  it("reports a format conflict on a DDL topic that only schema records go to", () => {
    const other = `pipeline "q" {
  format = dts-avro
  source mysql {
    host = "db"
    user = "u"
    server_id = 7
  }
  destination kafka {
    brokers = ["k:9092"]
    topic   = "t.ddl"
  }
  database "d" {}
}
`;
    const diagnostics = compile([{ file: "a.dts", text: spec("initial_sync { schema = true }") + other }]).diagnostics;
    expect(diagnostics.map((d) => d.message).join("\n")).toMatch(/topic "t\.ddl" gets/);
  });
});
