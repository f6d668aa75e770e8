// The demo's source side: a small shop schema and a steady trickle of inserts, updates,
// deletes and multi-statement transactions, so every kind of change shows up in Kafka.
import mysql from "mysql2/promise";

export interface ConnectionSettings {
  host: string;
  port: number;
  user: string;
  password: string;
}

const SCHEMA = [
  "CREATE DATABASE IF NOT EXISTS demo",
  `CREATE TABLE IF NOT EXISTS demo.customers (
     id INT AUTO_INCREMENT PRIMARY KEY,
     name VARCHAR(64) NOT NULL,
     email VARCHAR(128) NOT NULL UNIQUE,
     created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))`,
  `CREATE TABLE IF NOT EXISTS demo.orders (
     id BIGINT AUTO_INCREMENT PRIMARY KEY,
     customer_id INT NOT NULL,
     status ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',
     total DECIMAL(12,2) NOT NULL,
     updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))`,
  `CREATE TABLE IF NOT EXISTS demo.order_items (
     order_id BIGINT NOT NULL,
     line SMALLINT NOT NULL,
     sku CHAR(8) NOT NULL,
     quantity INT UNSIGNED NOT NULL,
     PRIMARY KEY (order_id, line))`,
];

const NAMES = ["Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "李雷", "Zoë"];
const STATUSES = ["paid", "shipped", "cancelled"];

export async function createDemoDatabase(settings: ConnectionSettings): Promise<void> {
  const connection = await mysql.createConnection(settings);
  try {
    for (const statement of SCHEMA) await connection.query(statement);
    // A few rows that exist before the pipeline starts, so its initial sync has something to copy.
    const [rows] = await connection.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM demo.customers");
    if (Number(rows[0]?.n) === 0) {
      for (const [i, name] of NAMES.slice(0, 5).entries()) {
        await connection.query("INSERT INTO demo.customers (name, email) VALUES (?, ?)", [name, `${name.toLowerCase()}@example.com`]);
        await connection.query("INSERT INTO demo.orders (customer_id, total) VALUES (LAST_INSERT_ID(), ?)", [(19.99 * (i + 1)).toFixed(2)]);
      }
    }
  } finally {
    await connection.end();
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

export interface Traffic {
  stop(): Promise<void>;
  statements(): number;
}

/** Writes one small change (or transaction) every `intervalMs` until stopped. */
export function startTraffic(settings: ConnectionSettings, intervalMs = 700): Traffic {
  const pool = mysql.createPool({ ...settings, database: "demo", connectionLimit: 1 });
  let count = 0;
  let busy: Promise<void> = Promise.resolve();

  async function newOrder(): Promise<void> {
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      const name = pick(NAMES);
      const [customer] = await connection.query<mysql.ResultSetHeader>(
        "INSERT INTO customers (name, email) VALUES (?, ?)", [name, `${name.toLowerCase()}.${Date.now()}@example.com`]);
      const [order] = await connection.query<mysql.ResultSetHeader>(
        "INSERT INTO orders (customer_id, total) VALUES (?, ?)", [customer.insertId, (Math.random() * 500).toFixed(2)]);
      const lines = 1 + Math.floor(Math.random() * 3);
      const rows = Array.from({ length: lines }, (_, i) => [order.insertId, i + 1, `SKU-${1000 + Math.floor(Math.random() * 9000)}`, 1 + i]);
      await connection.query("INSERT INTO order_items (order_id, line, sku, quantity) VALUES ?", [rows]);
      await connection.commit();
      count += 4;
    } finally {
      connection.release();
    }
  }

  async function step(): Promise<void> {
    const roll = Math.random();
    if (roll < 0.45) return newOrder();
    if (roll < 0.85) {
      await pool.query("UPDATE orders SET status = ? ORDER BY RAND() LIMIT 1", [pick(STATUSES)]);
    } else {
      await pool.query("DELETE FROM order_items ORDER BY RAND() LIMIT 1");
    }
    count++;
  }

  const timer = setInterval(() => {
    busy = busy.then(step).catch((error: unknown) => {
      process.stderr.write(`demo traffic: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  }, intervalMs);

  return {
    async stop() {
      clearInterval(timer);
      await busy;
      await pool.end();
    },
    statements: () => count,
  };
}
