// Plans and server facts for the precheck unit tests, built in code so each test states only
// what it changes.
import type { ExecutionPlan, ObjectRule, Pipeline } from "../../src/generated/plan.js";
import type { SourceFacts, TableFacts } from "../../src/precheck/source-facts.js";

export function rule(database: ObjectRule["database"], table: ObjectRule["table"], line = 10): ObjectRule {
  return {
    origin: { file: "shop.dts", line, column: 3 },
    database,
    table,
    target: { database: null, table: null, topic: null },
    columns: { include: null, exclude: [], rename: {} },
    filter: null,
    partition: null,
  };
}

export function pipeline(extra: Partial<Pipeline> = {}): Pipeline {
  return {
    name: "shop",
    origin: { file: "shop.dts", line: 1, column: 1 },
    mode: "sync",
    format: "canal-json",
    source: {
      host: "db.internal", port: 3306, user: "dts", password: { env: "DB_PASSWORD" }, serverId: 5001,
      tls: { mode: "off" }, timezone: "+00:00", startFrom: { kind: "latest" },
    },
    destination: {
      brokers: ["k1:9092"], clientId: "dts", topic: "shop.changes", ddlTopic: "shop.changes", auth: { mechanism: "none" },
      tls: { enabled: false }, schemaRegistry: null, createTopics: { enabled: false, partitions: 3, replicationFactor: 1 }, compression: "none",
    },
    initialSync: { schema: false, data: false, chunkSize: 1000, parallelism: 1, throttle: { rowsPerSecond: null, bytesPerSecond: null } },
    partition: { policy: "partition-zero" },
    ddl: "ignore",
    retryWindowSeconds: 43200,
    checkpoint: { directory: ".dts-state", topic: null },
    objects: [rule({ exact: "shop" }, { exact: "orders" })],
    ...extra,
  };
}

export function plan(...pipelines: Pipeline[]): ExecutionPlan {
  return { planVersion: 1, pipelines };
}

export function tableFacts(database: string, table: string, extra: Partial<TableFacts> = {}): TableFacts {
  return { database, table, engine: "InnoDB", isView: false, isSequence: false, systemVersioned: false, hasPrimaryKey: true, hasUniqueKey: false, cascades: [], unreadForeignKeys: [], ...extra };
}

/** A well-configured MariaDB 10.11 with shop.orders, as the stack's server looks. */
export function facts(extra: Partial<SourceFacts> = {}, variables: Record<string, string> = {}): SourceFacts {
  return {
    version: "10.11.6-MariaDB-log",
    isMariaDb: true,
    variables: {
      version: "10.11.6-MariaDB-log", log_bin: "ON", binlog_format: "ROW", binlog_row_image: "FULL", binlog_row_metadata: "FULL",
      server_id: "1", gtid_strict_mode: "ON", gtid_binlog_pos: "0-1-42", expire_logs_days: "0", binlog_expire_logs_seconds: "0",
      time_zone: "SYSTEM", system_time_zone: "UTC",
      ...variables,
    },
    utcOffsetSeconds: 0,
    currentUser: "dts@%",
    grants: { ok: true, value: ["GRANT SELECT, REPLICATION SLAVE, BINLOG MONITOR, SHOW VIEW ON *.* TO `dts`@`%` IDENTIFIED BY PASSWORD '*9E2DDC8A29226306621BA463502EF46D6069D005'"] },
    replicas: { ok: true, value: [] },
    databases: { ok: true, value: ["shop"] },
    tables: { ok: true, value: [tableFacts("shop", "orders")] },
    ...extra,
  };
}

/** A MySQL 8.0 server with its defaults for row capture. */
export function mysql8(variables: Record<string, string> = {}): SourceFacts {
  const result = facts({ version: "8.0.36", isMariaDb: false }, {
    version: "8.0.36", gtid_mode: "ON", binlog_row_value_options: "", binlog_expire_logs_seconds: "2592000", expire_logs_days: "0", ...variables,
  });
  delete result.variables.gtid_strict_mode;
  delete result.variables.gtid_binlog_pos;
  return result;
}
