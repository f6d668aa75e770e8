import { describe, expect, it } from "vitest";
import type { Checkpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { answeringBrokers, checkAuth, checkBrokers, checkPartitionCount, checkTopics, classifyKafkaError } from "../../src/precheck/kafka-checks.js";
import { recordTopics } from "../../src/plan/index.js";
import { pipeline, rule } from "./fixtures.js";

function checkpoint(partitionCounts: Record<string, number>): Checkpoint {
  return { version: 1, pipeline: "shop", position: { file: "mysql-bin.000002", offset: 4, gtidSet: null }, eventTimeSeconds: 0, partitionCounts, updatedAt: "2026-01-01T00:00:00Z" };
}

describe("kafka errors", () => {
  it("tells authentication, TLS and network failures apart through kafkajs's wrappers", () => {
    const sasl = Object.assign(new Error("SASL SCRAM SHA512 authentication failed: Authentication failed during authentication"), { name: "KafkaJSSASLAuthenticationError" });
    expect(classifyKafkaError(Object.assign(new Error("retries exceeded"), { cause: sasl })).kind).toBe("auth");
    expect(classifyKafkaError(Object.assign(new Error("Connection error: self-signed certificate in certificate chain"), { code: "SELF_SIGNED_CERT_IN_CHAIN" })).kind).toBe("tls");
    expect(classifyKafkaError(Object.assign(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })).kind).toBe("network");
  });

  it("warns about brokers that cannot be reached while one answers, naming them, and fails the auth check on a rejected login", () => {
    const probes = [{ broker: "k1:9092", error: null }, { broker: "k2:9092", error: { kind: "network" as const, message: "Connection timeout" } }];
    expect(checkBrokers(probes)).toMatchObject({ status: "warn" });
    expect(checkBrokers(probes)).not.toHaveProperty("unreachable");
    expect(checkBrokers(probes).reason).toBe("cannot reach k2:9092 (Connection timeout); k1:9092 answered, so the client can still find the cluster");
    const d = pipeline().destination;
    const scram = { ...d, auth: { mechanism: "scram-sha-256" as const, username: "dts", password: { env: "P" } } };
    expect(checkAuth(scram, [{ broker: "k1:9092", error: { kind: "auth", message: "bad password" } }])).toMatchObject({ status: "fail" });
    expect(checkAuth(scram, [{ broker: "k1:9092", error: null }]).reason).toContain('SASL scram-sha-256 as "dts" accepted');
    expect(checkAuth(d, [{ broker: "k1:9092", error: { kind: "network", message: "x" } }]).reason).toMatch(/^not checked/);
  });
});

describe("brokers that cannot be reached", () => {
  const down = (broker: string) => ({ broker, error: { kind: "network" as const, message: "connect ECONNREFUSED" } });

  it("fails as unreachable when no broker answers", () => {
    expect(checkBrokers([down("k1:9092"), down("k2:9092")])).toMatchObject({ status: "fail", unreachable: true, reason: "cannot reach k1:9092 (connect ECONNREFUSED), k2:9092 (connect ECONNREFUSED)" });
  });

  it("counts a broker that rejected the login as answering: the auth check fails, not reach", () => {
    const probes = [{ broker: "k1:9092", error: { kind: "auth" as const, message: "bad password" } }, down("k2:9092")];
    expect(checkBrokers(probes)).toMatchObject({ status: "warn" });
    expect(answeringBrokers(probes)).toEqual([]);
  });

  it("fails at once, not as unreachable, when what answers is not a Kafka listener", () => {
    const mysql = { broker: "db:3306", error: { kind: "protocol" as const, message: "is a MySQL or MariaDB server (10.11.19-MariaDB): not a Kafka listener this client can talk to" } };
    const result = checkBrokers([mysql]);
    expect(result).toMatchObject({ status: "fail", reason: "db:3306 is a MySQL or MariaDB server (10.11.19-MariaDB): not a Kafka listener this client can talk to" });
    expect(result).not.toHaveProperty("unreachable");
    expect(result.fix).toMatch(/TLS or SASL/);
    expect(checkBrokers([mysql, down("k2:9092")])).toMatchObject({ status: "fail" });
    expect(checkBrokers([mysql, { broker: "k1:9092", error: null }])).toMatchObject({ status: "warn" });
  });

  it("hands only the answering brokers to the checks that follow", () => {
    expect(answeringBrokers([down("k1:9092"), { broker: "k2:9092", error: null }])).toEqual(["k2:9092"]);
  });
});

describe("topics", () => {
  const p = pipeline({ ddl: "capture", objects: [rule({ exact: "shop" }, { exact: "orders" }), { ...rule({ exact: "shop" }, { exact: "items" }), target: { database: null, table: null, topic: "shop.items" } }] });
  p.destination = { ...p.destination, ddlTopic: "shop.ddl" };

  it("lists the row, DDL and per-table topics", () => {
    expect(recordTopics(p)).toEqual(["shop.changes", "shop.ddl", "shop.items"]);
  });

  it("fails on a missing topic unless topics may be created", () => {
    const facts = { existing: { "shop.changes": 3, "shop.ddl": 1 }, listed: new Set(["shop.changes", "shop.ddl"]), brokerCount: 1 };
    const result = checkTopics(p, facts);
    expect(result.status).toBe("fail");
    expect(result.reason).toContain("shop.items");
    const creating = { ...p, destination: { ...p.destination, createTopics: { enabled: true, partitions: 6, replicationFactor: 1 } } };
    expect(checkTopics(creating, facts)).toMatchObject({ status: "pass" });
    expect(checkTopics(creating, facts).reason).toContain("shop.items will be created with 6 partition(s)");
  });

  it("fails when topics would need more replicas than there are brokers", () => {
    const creating = { ...p, destination: { ...p.destination, createTopics: { enabled: true, partitions: 6, replicationFactor: 3 } } };
    expect(checkTopics(creating, { existing: {}, listed: new Set(), brokerCount: 1 }).reason).toContain("replication factor 3");
  });

  it("fails a compacted topic that would get DDL or schema records, which have no key, and passes compacted row topics", () => {
    const all = { "shop.changes": 3, "shop.ddl": 1, "shop.items": 3 };
    const listed = new Set(Object.keys(all));
    const result = checkTopics(p, { existing: all, listed, compacted: new Set(["shop.ddl"]), brokerCount: 1 });
    expect(result).toMatchObject({ status: "fail", reason: expect.stringMatching(/^topic shop\.ddl is compacted .*no key/) });
    expect(result.fix).toContain("ddl_topic");
    expect(checkTopics(p, { existing: all, listed, compacted: new Set(["shop.changes", "shop.items"]), brokerCount: 1 }).status).toBe("pass");
  });

  it("fails a checkpoint topic that deletes by retention, and passes a compacted one or one whose policy cannot be read", () => {
    const kept = { ...p, checkpoint: { ...p.checkpoint, topic: "dts.checkpoints" } };
    const all = { "shop.changes": 3, "shop.ddl": 1, "shop.items": 3, "dts.checkpoints": 1 };
    const listed = new Set(Object.keys(all));
    const result = checkTopics(kept, { existing: all, listed, notCompacted: new Set(["dts.checkpoints", "shop.changes"]), brokerCount: 1 });
    expect(result).toMatchObject({ status: "fail", reason: expect.stringMatching(/^checkpoint topic dts\.checkpoints is not compacted: retention deletes/) });
    expect(result.fix).toContain("cleanup.policy=compact");
    expect(checkTopics(kept, { existing: all, listed, compacted: new Set(["dts.checkpoints"]), notCompacted: new Set(["shop.changes"]), brokerCount: 1 }).status).toBe("pass");
    expect(checkTopics(kept, { existing: all, listed, brokerCount: 1 }).status).toBe("pass");
  });

  it("says when an existing topic has another partition count than create_topics asks for", () => {
    const creating = { ...p, destination: { ...p.destination, createTopics: { enabled: true, partitions: 4, replicationFactor: 1 } } };
    const result = checkTopics(creating, { existing: { "shop.changes": 2, "shop.ddl": 4, "shop.items": 4 }, listed: new Set(["shop.changes", "shop.ddl", "shop.items"]), brokerCount: 1 });
    expect(result.reason).toContain("shop.changes already exists with another partition count than create_topics' 4, which the run keeps");
  });

  it("warns when a hash policy writes to a one-partition topic", () => {
    const hashed = { ...p, partition: { policy: "primary-key-hash" as const } };
    const result = checkTopics(hashed, { existing: { "shop.changes": 1, "shop.ddl": 1, "shop.items": 4 }, listed: new Set(["shop.changes", "shop.ddl", "shop.items"]), brokerCount: 1 });
    expect(result.status).toBe("warn");
    expect(result.reason).toContain("shop.changes, shop.ddl");
  });
});

describe("partition counts against the checkpoint", () => {
  it("passes without a checkpoint and with unchanged counts", () => {
    expect(checkPartitionCount(null, "state/shop/checkpoint.json", { existing: {}, listed: new Set(), brokerCount: 1 }).status).toBe("pass");
    expect(checkPartitionCount(checkpoint({ "shop.changes": 3 }), "x", { existing: { "shop.changes": 3 }, listed: new Set(["shop.changes"]), brokerCount: 1 }).status).toBe("pass");
  });

  it("fails when a topic gained partitions since the checkpoint", () => {
    const result = checkPartitionCount(checkpoint({ "shop.changes": 3 }), "x", { existing: { "shop.changes": 6 }, listed: new Set(["shop.changes"]), brokerCount: 1 });
    expect(result.status).toBe("fail");
    expect(result.reason).toContain("now has 6 partitions but had 3");
  });

  it("treats topics named like Object members (constructor, __proto__) as ordinary topics", () => {
    const recorded = JSON.parse('{"constructor": 3, "__proto__": 2, "toString": 1}') as Record<string, number>;
    expect(checkPartitionCount(checkpoint(recorded), "x", { existing: {}, listed: new Set(), brokerCount: 1 }).reason).toMatch(/constructor.*no longer exist/);
    const existing = JSON.parse('{"constructor": 6, "__proto__": 2, "toString": 1}') as Record<string, number>;
    expect(checkPartitionCount(checkpoint(recorded), "x", { existing, listed: new Set(Object.keys(existing)), brokerCount: 1 })).toMatchObject({ status: "fail", reason: expect.stringMatching(/topic constructor now has 6 partitions but had 3/) });
    const missing = checkTopics(pipeline({ destination: { ...pipeline().destination, topic: "constructor" } }), { existing: {}, listed: new Set(), brokerCount: 1 });
    expect(missing.reason).toMatch(/constructor/);
  });

  it("warns when there is no checkpoint but the pipeline's topics already hold messages (a state folder not carried over)", () => {
    const facts = { existing: { "shop.changes": 3 }, listed: new Set(["shop.changes"]), brokerCount: 1 };
    const result = checkPartitionCount(null, "state/shop/checkpoint.json", facts, ["shop.changes"]);
    expect(result).toMatchObject({ status: "warn", reason: expect.stringContaining("no checkpoint (state/shop/checkpoint.json), but topic shop.changes already holds messages") });
    expect(result.fix).toContain("checkpoint.directory");
    expect(checkPartitionCount(null, "x", facts, []).status).toBe("pass");
  });

  it("warns when a recorded topic is gone", () => {
    expect(checkPartitionCount(checkpoint({ "shop.old": 3 }), "x", { existing: {}, listed: new Set(), brokerCount: 1 }).status).toBe("warn");
  });

  it("says that a recorded topic the spec no longer writes is left as it is, not that it is gone", () => {
    const result = checkPartitionCount(checkpoint({ "shop.old": 3, "shop.changes": 3 }), "x", { existing: { "shop.changes": 3 }, listed: new Set(["shop.old", "shop.changes"]), brokerCount: 1 });
    expect(result).toMatchObject({ status: "warn", reason: expect.stringContaining("the spec no longer writes topic shop.old") });
    expect(result.reason).not.toContain("no longer exist");
  });
});
