// Which way a running pipeline takes each single edit of its spec: live, by a new session, or
// refused as breaking consumers unless --allow-breaking; layout edits change nothing.
import { describe, expect, it } from "vitest";
import { judgeReload } from "../../src/reload/index.js";
import { edit, pipelineOf, shop } from "./helpers.js";

const judge = (base: string, next: string, options: { allowBreaking?: boolean; connectionsChanged?: boolean } = {}) =>
  judgeReload(pipelineOf(base), pipelineOf(next), { allowBreaking: options.allowBreaking ?? false, connectionsChanged: options.connectionsChanged ?? false });

/** The shop spec with DDL ignored and no initial schema sync: nothing is written to the DDL topic. */
const noDdlTopic = edit(shop, "chunk_size          = 5000", "schema     = false\n    chunk_size = 5000");
const withRegistry = edit(shop, 'client_id = "shop"', 'client_id = "shop"\n    schema_registry = "https://svc@reg1:8081"\n    schema_registry_password = env("SR_PASS_OLD")');
const migrate = edit(shop, "format       = dts-avro", "mode   = migrate\n  format = dts-avro");

const live: [string, string, string, string][] = [
  ["table added", shop, 'table "customers" {', 'table "items" {}\n\n    table "customers" {'],
  ["table removed", shop, 'table "customers" {\n      rename = "clients"\n    }', ""],
  ["table topic", shop, '"shop.orders"', '"shop.orders.v2"'],
  ["table rename", shop, 'rename = "clients"', 'rename = "buyers"'],
  ["columns", shop, 'exclude = ["note"]', 'exclude = ["note", "ssn"]'],
  ["filter", shop, "(status = 'paid')", "(status = 'shipped')"],
  ["a new table with its own partition policy", shop, 'table "customers" {', 'table "items" {\n      topic     = "shop.items"\n      partition = primary-key-hash\n    }\n\n    table "customers" {'],
  ["DDL mode", shop, "ddl          = ignore", "ddl = capture"],
  ["initial sync settings", shop, "chunk_size          = 5000", "chunk_size = 100"],
  ["stop when caught up", migrate, "mode   = migrate", "mode   = migrate\n  stop_when_caught_up = true"],
  ["mode", shop, "format       = dts-avro", "mode = migrate\n  format = dts-avro"],
  ["retry window", shop, "retry_window = 12h", "retry_window = 1h"],
];

const breaking: [string, string, string, RegExp][] = [
  ["format", "format       = dts-avro", "format = canal-json", /message format changes/],
  ["default partition policy", "partition    = table-hash", "partition = primary-key-hash", /default partition policy changes/],
  ["schema registry", 'client_id = "shop"', 'client_id = "shop"\n    schema_registry = "http://registry:8081"', /schema id/],
  ["DDL topic", 'client_id = "shop"', 'client_id = "shop"\n    ddl_topic = "shop.ddl"', /DDL and schema records move/],
  ["kept table's partition policy", 'columns("customer_id")', 'columns("id")', /table rule at shop\.dts:30:5 changes its partition policy/],
];

const restart: [string, string, string][] = [
  ["source host", '"db.internal"', '"db2.internal"'],
  ["source TLS", 'host     = "db.internal"', 'host     = "db.internal"\n    tls = required'],
  ["brokers", '["kafka-1:9092"]', '["kafka-2:9092"]'],
  ["Kafka TLS", 'client_id = "shop"', 'client_id = "shop"\n    tls = on'],
  ["Kafka auth", 'client_id = "shop"', 'client_id = "shop"\n    auth {\n      mechanism = plain\n      username = "u"\n      password = env("KAFKA_PASSWORD")\n    }'],
  ["compression", 'client_id = "shop"', 'client_id = "shop"\n    compression = zstd'],
  ["schema registry password", 'schema_registry_password = env("SR_PASS_OLD")', 'schema_registry_password = env("SR_PASS_NEW")'],
  ["schema registry host", '"https://svc@reg1:8081"', '"https://svc@reg2:8081"'],
  ["checkpoint topic", "  database \"shop\" {", '  checkpoint {\n    topic = "shop.checkpoints"\n  }\n\n  database "shop" {'],
];

describe("judging a reloaded spec", () => {
  for (const [name, base, from, to] of live) {
    it(`applies ${name} live`, () => {
      const judgement = judge(base, edit(base, from, to));
      expect(judgement).toMatchObject({ how: "live", refusal: null });
      expect(judgement.changes.length).toBeGreaterThan(0);
    });
  }

  for (const [name, from, to, why] of breaking) {
    it(`refuses a ${name} change unless breaking is allowed, then restarts`, () => {
      const next = edit(shop, from, to);
      const refused = judge(shop, next);
      expect(refused.refusal?.reason).toMatch(why);
      expect(refused.refusal?.hint).toContain("--allow-breaking");
      expect(judge(shop, next, { allowBreaking: true })).toMatchObject({ how: "restart", refusal: null });
    });
  }

  for (const [name, from, to] of restart) {
    it(`applies a ${name} change by a new session`, () => {
      const base = name.startsWith("schema registry") ? withRegistry : shop;
      const judgement = judge(base, edit(base, from, to));
      expect(judgement).toMatchObject({ how: "restart", refusal: null });
      expect(judgement.changes.length).toBeGreaterThan(0);
    });
  }

  it("restarts a live change that comes with a connection change", () => {
    const next = edit(shop, "(status = 'paid')", "(status = 'shipped')");
    expect(judge(shop, next, { connectionsChanged: true })).toMatchObject({ how: "restart", refusal: null });
    expect(judge(shop, shop, { connectionsChanged: true })).toMatchObject({ how: "restart", refusal: null });
  });

  it("refuses a breaking change even when it comes with live ones, and names every reason", () => {
    const next = edit(edit(edit(shop, "format       = dts-avro", "format = canal-json"), 'columns("customer_id")', 'columns("id")'), "(status = 'paid')", "(status = 'shipped')");
    const { refusal, changes } = judge(shop, next);
    expect(refusal?.reason).toMatch(/message format changes.*; the table rule at shop\.dts:30:5/);
    expect(changes).toEqual(expect.arrayContaining(["format changed", "shop.orders: filter changed"]));
  });

  it("finds nothing changed when only comments and layout moved the spec's locations", () => {
    const next = edit(edit(shop, "# The base spec", "# A comment\n\n\n# The base spec"), "    host     =", "\n\n    host =");
    expect(pipelineOf(next).objects[0].origin).not.toEqual(pipelineOf(shop).objects[0].origin);
    expect(judge(shop, next)).toEqual({ how: "unchanged", changes: [], refusal: null });
  });

  // judge.ts strips every key named "origin" to ignore spec locations, so a column called origin
  // loses its rename from the comparison: plan --diff sees the change, the reload calls it unchanged.
  it("applies a rename of a column named origin", () => {
    const renamed = (to: string) => edit(shop, 'rename  = { total = "amount" }', `rename  = { origin = "${to}" }`);
    const judgement = judge(renamed("from"), renamed("source"));
    expect(judgement.changes).toEqual(["shop.orders: column origin renamed"]);
    expect(judgement.how).toBe("live");
  });

  // judge.ts lists destination settings one level deep ("destination/createTopics"), so its
  // breaking entry "destination/createTopics/partitions" never matches: the change restarts unasked.
  it("refuses a partition count change of created topics", () => {
    const refused = judge(shop, edit(shop, "partitions = 6", "partitions = 12"));
    expect(refused.refusal?.reason).toMatch(/another partition count/);
  });

  // The DDL topic defaults to the topic, so moving the topic moves it too, and judge.ts refuses any
  // DDL topic change, even where plan --diff calls it safe because nothing is written there.
  it("applies a default topic change live when nothing goes to the DDL topic", () => {
    expect(judge(noDdlTopic, edit(noDdlTopic, '"shop.changes"', '"shop.all"'))).toMatchObject({ how: "live", refusal: null });
  });

  it("refuses moving the checkpoint directory under a running pipeline, even with --allow-breaking", () => {
    const next = edit(shop, '  database "shop" {', '  checkpoint {\n    directory = "/var/lib/dts"\n  }\n\n  database "shop" {');
    const judgement = judge(shop, next, { allowBreaking: true });
    expect(judgement.refusal?.reason).toContain("checkpoint/directory changed");
    expect(judgement.refusal?.hint).toMatch(/stop it, move its state folder/);
  });

  it("names a changed secret when nothing else changed", () => {
    expect(judge(shop, shop, { connectionsChanged: true })).toMatchObject({ how: "restart", changes: ["a secret or endpoint the spec reads changed"] });
  });
});
