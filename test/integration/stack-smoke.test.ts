// Proves the stack's servers are the real thing: MariaDB writes a row binlog a replication
// client can decode, and Kafka carries messages over PLAINTEXT and over SASL_SSL with SCRAM,
// verified against the stack's own CA.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import ZongJi, { type WriteRowsEvent } from "@vlasky/zongji";
import kafkajs from "kafkajs";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startMariadbInstance } from "../../scripts/stack/control.js";
import { freePort } from "./runtime-helpers.js";
import { loadStackEnv, type StackEnv } from "./stack-env.js";

const { Kafka, logLevel, ConfigResourceTypes } = kafkajs;
const stack: StackEnv = loadStackEnv(inject("stackEnvPath"));
const database = `smoke_${randomUUID().replaceAll("-", "").slice(0, 12)}`;

function rootConnection(): Promise<mysql.Connection> {
  const { host, port, rootUser, rootPassword } = stack.mysql;
  return mysql.createConnection({ host, port, user: rootUser, password: rootPassword });
}

function replicationConnection(): Promise<mysql.Connection> {
  const { host, port, user, password } = stack.mysql;
  return mysql.createConnection({ host, port, user, password });
}

describe("MariaDB", () => {
  let root: mysql.Connection;
  beforeAll(async () => {
    root = await rootConnection();
    await root.query(`CREATE DATABASE ${database}`);
    await root.query(`CREATE TABLE ${database}.items (id INT PRIMARY KEY, name VARCHAR(50) CHARACTER SET utf8mb4, price DECIMAL(10,2))`);
  });
  afterAll(async () => {
    await root.query(`DROP DATABASE IF EXISTS ${database}`);
    await root.end();
  });

  it("runs with the binlog settings change capture needs", async () => {
    const db = await replicationConnection();
    try {
      const [rows] = await db.query<mysql.RowDataPacket[]>(
        "SELECT @@log_bin AS logBin, @@binlog_format AS format, @@binlog_row_image AS image, @@binlog_row_metadata AS metadata, " +
        "@@server_id AS serverId, @@gtid_strict_mode AS gtidStrict, @@character_set_server AS charset",
      );
      expect(rows[0]).toEqual({ logBin: 1, format: "ROW", image: "FULL", metadata: "FULL", serverId: 1, gtidStrict: 1, charset: "utf8mb4" });
    } finally {
      await db.end();
    }
  });

  it("gives the replication user exactly REPLICATION SLAVE, BINLOG MONITOR, SELECT and SHOW VIEW", async () => {
    const db = await replicationConnection();
    try {
      const [grants] = await db.query<mysql.RowDataPacket[]>("SHOW GRANTS FOR CURRENT_USER()");
      const statements = grants.map((row) => Object.values(row)[0] as string);
      expect(statements).toHaveLength(1);
      const privileges = /^GRANT (.+) ON \*\.\* TO /.exec(statements[0] as string)?.[1]?.split(", ").sort();
      expect(privileges).toEqual(["BINLOG MONITOR", "REPLICATION SLAVE", "SELECT", "SHOW VIEW"]);
      await expect(db.query(`INSERT INTO ${database}.items VALUES (99, 'no', 0)`)).rejects.toMatchObject({ code: "ER_TABLEACCESS_DENIED_ERROR" });
    } finally {
      await db.end();
    }
  });

  it("lets the replication user read inserted rows back from the binlog", async () => {
    const { host, port, user, password } = stack.mysql;
    const zongji = new ZongJi({ host, port, user, password });
    const received: Record<string, unknown>[] = [];
    try {
      const gotRows = new Promise<void>((resolve, reject) => {
        zongji.on("error", reject);
        zongji.on("binlog", (event: { getEventName(): string }) => {
          if (event.getEventName() !== "writerows") return;
          received.push(...(event as WriteRowsEvent).rows);
          if (received.length >= 2) resolve();
        });
      });
      const ready = new Promise<void>((resolve) => zongji.once("ready", () => resolve()));
      zongji.start({
        startAtEnd: true,
        includeEvents: ["tablemap", "writerows"],
        includeSchema: { [database]: ["items"] },
        serverId: 100_000 + Math.floor(Math.random() * 100_000),
      });
      await ready;
      await root.query(`INSERT INTO ${database}.items VALUES (1, 'plain', 9.99), (2, 'ünïcödé 🚀', 1234.50)`);
      await gotRows;
    } finally {
      zongji.stop();
    }
    expect(received.map((row) => ({ ...row, price: String(row.price) }))).toEqual([
      { id: 1, name: "plain", price: "9.99" },
      { id: 2, name: "ünïcödé 🚀", price: "1234.50" },
    ]);
  });
});

describe("Kafka", () => {
  const ca = readFileSync(stack.kafka.caFile, "utf8");
  const plaintext = () => new Kafka({ clientId: "stack-smoke", brokers: stack.kafka.brokers, logLevel: logLevel.NOTHING });
  // `trust: "system"` leaves out the stack's CA, so only the operating system's CAs are trusted.
  const scram = (mechanism: "scram-sha-256" | "scram-sha-512", password = stack.kafka.scramPassword, trust: "stack" | "system" = "stack") =>
    new Kafka({
      clientId: "stack-smoke",
      brokers: stack.kafka.saslBrokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      ssl: trust === "stack" ? { ca: [ca] } : true,
      sasl: { mechanism, username: stack.kafka.scramUser, password } as kafkajs.SASLOptions,
    });

  async function roundTrip(kafka: InstanceType<typeof Kafka>): Promise<string> {
    const topic = `stack-smoke-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    const producer = kafka.producer();
    try {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true })).toBe(true);
      await producer.connect();
      const sent = `hello ${randomUUID()}`;
      await producer.send({ topic, acks: -1, messages: [{ key: "k", value: sent }] });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const value = await new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString() ?? "") });
      });
      expect(value).toBe(sent);
      return value;
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  }

  it("produces and consumes through the PLAINTEXT listener", async () => {
    await roundTrip(plaintext());
  });

  it("produces and consumes through SASL_SSL with SCRAM-SHA-256", async () => {
    await roundTrip(scram("scram-sha-256"));
  });

  it("produces and consumes through SASL_SSL with SCRAM-SHA-512", async () => {
    await roundTrip(scram("scram-sha-512"));
  });

  it("rejects a wrong SCRAM password", async () => {
    const admin = scram("scram-sha-256", "not-the-password").admin();
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA256 authentication failed/i);
  });

  it("presents a certificate that only the stack's CA verifies", async () => {
    const admin = scram("scram-sha-256", stack.kafka.scramPassword, "system").admin();
    await expect(admin.connect()).rejects.toThrow(/certificate/i);
  });

  it("leaves topic creation to the product (auto-creation off)", async () => {
    const admin = plaintext().admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.BROKER, name: String(brokers[0]?.nodeId), configNames: ["auto.create.topics.enable"] }],
      });
      expect(described.resources[0]?.configEntries[0]).toMatchObject({ configName: "auto.create.topics.enable", configValue: "false" });
    } finally {
      await admin.disconnect();
    }
  });
});

describe("stack API", () => {
  it("starts a throwaway MariaDB with deliberately different settings next to the main one", async () => {
    const instance = await startMariadbInstance({
      name: "smoke-wrong-settings",
      port: await freePort(),
      extraArgs: ["--binlog-format=STATEMENT", "--binlog-row-image=MINIMAL"],
      replicationPrivileges: ["SELECT"],
      fresh: true,
    });
    try {
      expect(instance.port).not.toBe(stack.mysql.port);
      const db = await mysql.createConnection({ host: instance.host, port: instance.port, user: instance.user, password: instance.password });
      try {
        const [rows] = await db.query<mysql.RowDataPacket[]>("SELECT @@binlog_format AS format, @@binlog_row_image AS image");
        expect(rows[0]).toEqual({ format: "STATEMENT", image: "MINIMAL" });
        const [grants] = await db.query<mysql.RowDataPacket[]>("SHOW GRANTS FOR CURRENT_USER()");
        expect(Object.values(grants[0] ?? {})[0]).toMatch(/^GRANT SELECT ON \*\.\* TO `dts`@`%`/);
      } finally {
        await db.end();
      }
    } finally {
      await instance.destroy();
    }
    await expect(mysql.createConnection({ host: instance.host, port: instance.port, user: instance.user, password: instance.password, connectTimeout: 2000 }))
      .rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
