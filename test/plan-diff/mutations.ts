// Single edits of fixtures/shop.dts and how plan --diff must classify each: the change it
// reports, its severity, and which other changes may come with it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Severity } from "../../src/plan-diff/index.js";

export const shop = readFileSync(join(import.meta.dirname, "fixtures", "shop.dts"), "utf8");

export interface Mutation {
  name: string;
  from: string;
  to: string;
  /** null: the plans must be the same. */
  expect: { change: string; severity: Severity; table?: string | null } | null;
  /** Changes that may come along (a new topic, a derived server id). */
  also?: string[];
}

export const mutations: Mutation[] = [
  { name: "format", from: "format       = dts-avro", to: "format = canal-json", expect: { change: "format changed", severity: "breaking", table: null } },
  { name: "pipeline partition policy", from: "partition    = table-hash", to: "partition = primary-key-hash", expect: { change: "partition policy changed", severity: "breaking", table: "shop.customers" } },
  { name: "key columns", from: 'columns("customer_id")', to: 'columns("id")', expect: { change: "key columns changed", severity: "breaking", table: "shop.orders" } },
  { name: "table topic", from: '"shop.orders"', to: '"shop.orders.v2"', expect: { change: "topic changed", severity: "breaking", table: "shop.orders" }, also: ["new topic"] },
  { name: "default topic", from: '"shop.changes"', to: '"shop.all"', expect: { change: "topic changed", severity: "breaking", table: "shop.customers" }, also: ["new topic", "DDL topic changed"] },
  { name: "partition count", from: "partitions = 6", to: "partitions = 12", expect: { change: "partition count of created topics changed", severity: "breaking", table: null } },
  { name: "column dropped", from: 'exclude = ["note"]', to: 'exclude = ["note", "ssn"]', expect: { change: "column dropped", severity: "breaking", table: "shop.orders" } },
  { name: "column renamed", from: 'total = "amount"', to: 'total = "sum"', expect: { change: "column total renamed", severity: "breaking", table: "shop.orders" } },
  { name: "table renamed", from: 'rename = "clients"', to: 'rename = "buyers"', expect: { change: "table renamed", severity: "breaking", table: "shop.customers" } },
  { name: "database renamed", from: 'database "shop" {', to: 'database "shop" {\n    rename = "shop_v2"\n', expect: { change: "database renamed", severity: "breaking", table: "shop.orders" } },
  { name: "pipeline renamed", from: 'pipeline "shop"', to: 'pipeline "shop-v2"', expect: { change: "pipeline renamed", severity: "breaking", table: null }, also: ["binlog server id changed"] },
  { name: "filter", from: "(status = 'paid')", to: "(status = 'shipped')", expect: { change: "filter changed", severity: "caution", table: "shop.orders" } },
  { name: "table added", from: 'table "customers" {', to: 'table "items" {}\n\n    table "customers" {', expect: { change: "table added", severity: "caution", table: "shop.items" } },
  { name: "table removed", from: 'table "customers" {\n      rename = "clients"\n    }', to: "", expect: { change: "table removed", severity: "caution", table: "shop.customers" } },
  { name: "DDL mode", from: "ddl          = ignore", to: "ddl = capture", expect: { change: "DDL mode changed", severity: "caution", table: null } },
  { name: "retry window shortened", from: "retry_window = 12h", to: "retry_window = 1h", expect: { change: "retry window changed", severity: "caution", table: null } },
  { name: "max_delay set", from: "retry_window = 12h", to: "retry_window = 12h\n  max_delay = 5m", expect: { change: "max_delay changed", severity: "safe", table: null } },
  { name: "heartbeat period", from: 'host     = "db.internal"', to: 'host     = "db.internal"\n    heartbeat { period = 30s }', expect: { change: "binlog heartbeat period changed", severity: "safe", table: null } },
  { name: "heartbeat table added", from: 'host     = "db.internal"', to: 'host     = "db.internal"\n    heartbeat { table = "ops.beat" }', expect: { change: "heartbeat table changed", severity: "caution", table: null } },
  { name: "retry window lengthened", from: "retry_window = 12h", to: "retry_window = 1d", expect: { change: "retry window changed", severity: "safe", table: null } },
  { name: "throttle", from: "max_rows_per_second = 1000", to: "max_rows_per_second = 50", expect: { change: "initial sync throttle changed", severity: "safe", table: null } },
  { name: "chunk size", from: "chunk_size          = 5000", to: "chunk_size = 100", expect: { change: "initial sync chunk size changed", severity: "safe", table: null } },
  { name: "client id", from: 'client_id = "shop"', to: 'client_id = "shop-eu"', expect: { change: "Kafka client id changed", severity: "safe", table: null } },
  { name: "comment", from: "# The base spec", to: "# A comment\n# The base spec", expect: null },
  { name: "layout", from: "    host     =", to: "\n\n    host =", expect: null },
  { name: "filter spelling", from: "(status = 'paid')", to: "(status='paid')", expect: { change: "filter rewritten", severity: "safe", table: "shop.orders" } },
  // The runtime finds columns in any case, so their case alone changes no message.
  { name: "excluded column's case", from: 'exclude = ["note"]', to: 'exclude = ["Note"]', expect: null },
  { name: "renamed column's case", from: 'total = "amount"', to: 'Total = "amount"', expect: null },
  { name: "key column's case", from: 'columns("customer_id")', to: 'columns("Customer_ID")', expect: null },
  { name: "filter column's case", from: "(status = 'paid')", to: "(STATUS = 'paid')", expect: { change: "filter rewritten", severity: "safe", table: "shop.orders" } },
];
