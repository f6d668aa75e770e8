// The optional heartbeat table (`heartbeat { table = "ops.dts_heartbeat" }`): the pipeline
// upserts one row, its name and the time, every interval over the source's control
// connection. On a server with no other writes the binlog then still grows, so the stream
// sees a commit every interval: the checkpoint keeps moving (its binlog is never the oldest
// one a purge removes) and the delay is measured end to end. The row reaches Kafka only when
// the spec selects the table, like any other table.
import type mysql from "mysql2/promise";
import type { SourceHeartbeat } from "../../generated/plan.js";
import { describeError, isRetriable, RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";

export type HeartbeatTable = NonNullable<SourceHeartbeat["table"]>;

const quote = (name: string) => `\`${name.replace(/`/g, "``")}\``;

/** `db`.`table`, quoted for SQL. */
export function heartbeatTableName(table: Pick<HeartbeatTable, "database" | "table">): string {
  return `${quote(table.database)}.${quote(table.table)}`;
}

/** What the account needs on the table: CREATE only while it does not exist yet. One fact for the precheck and the runtime. */
export function heartbeatTablePrivileges(exists: boolean): string[] {
  return exists ? ["INSERT", "UPDATE"] : ["CREATE", "INSERT", "UPDATE"];
}

/** The table the pipeline creates when it is missing; `beat_at` is UTC. */
export function heartbeatTableDdl(table: HeartbeatTable): string {
  return `CREATE TABLE IF NOT EXISTS ${heartbeatTableName(table)} (pipeline VARCHAR(255) NOT NULL PRIMARY KEY, beat_at DATETIME(6) NOT NULL)`;
}

export class HeartbeatTableWriter {
  readonly #control: mysql.Connection;
  readonly #table: HeartbeatTable;
  readonly #pipeline: string;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | null = null;
  #writing = false;
  #failing = false;

  constructor(control: mysql.Connection, table: HeartbeatTable, pipeline: string, log: Logger) {
    this.#control = control;
    this.#table = table;
    this.#pipeline = pipeline;
    this.#log = log;
  }

  /** Creates the table when missing, writes the first row, then one every interval. */
  async start(): Promise<void> {
    const name = `${this.#table.database}.${this.#table.table}`;
    try {
      const [rows] = await this.#control.query("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", [this.#table.database, this.#table.table]);
      if ((rows as unknown[]).length === 0) await this.#control.query(heartbeatTableDdl(this.#table));
    } catch (error) {
      throw new RuntimeError("source-settings", `cannot create the heartbeat table ${name}: ${describeError(error)}`, {
        cause: error,
        retriable: isRetriable(error),
        hint: `create it as an administrator (${heartbeatTableDdl(this.#table)}; the database must exist) and grant INSERT, UPDATE on it, or grant CREATE, INSERT, UPDATE on ${heartbeatTableName(this.#table)}; dts precheck lists what is missing`,
      });
    }
    await this.#beat();
    this.#timer = setInterval(() => void this.#beat(), this.#table.intervalSeconds * 1000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** A failed write is logged once per run of failures: the stream itself reports a lost server. */
  async #beat(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      await this.#control.query(`INSERT INTO ${heartbeatTableName(this.#table)} (pipeline, beat_at) VALUES (?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE beat_at = VALUES(beat_at)`, [this.#pipeline]);
      if (this.#failing) this.#log.info({ table: `${this.#table.database}.${this.#table.table}` }, "heartbeat rows are written again");
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) this.#log.warn({ err: describeError(error), table: `${this.#table.database}.${this.#table.table}` }, "cannot write the heartbeat row; the checkpoint of an idle server stops moving until it works again");
      this.#failing = true;
    } finally {
      this.#writing = false;
    }
  }
}
