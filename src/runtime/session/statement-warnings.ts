// Warns of data changes the binlog holds as SQL statements instead of rows
// (source/dml-statement.ts): the stream cannot send them, so Kafka lacks them. The first one of
// a table is logged at once, later ones at most once a minute per table with how many came
// meanwhile, so a session writing in STATEMENT format all day does not flood the log. Each one
// also counts in dts_errors_total{kind="statement-dml"}, which an alert can watch.
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { Logger } from "../logger.js";
import type { PipelineMetrics } from "../observe/metrics.js";
import { dmlStatement } from "../source/dml-statement.js";

export const STATEMENT_DML = "statement-dml";

const REPEAT_AFTER_MS = 60_000;

const HINT =
  "make every session that writes these tables log rows: binlog_format = ROW globally and no SET SESSION binlog_format = STATEMENT or MIXED " +
  "(MariaDB also logs the emptying of a MEMORY table at a restart as a DELETE); then run an initial sync of the table to bring Kafka level";

interface TableWarning {
  at: number;
  /** Statements since the last warning, not yet logged. */
  since: number;
}

export class StatementWarnings {
  readonly #log: Logger;
  readonly #metrics: PipelineMetrics | null;
  readonly #selects: (database: string, table: string) => boolean;
  readonly #now: () => number;
  readonly #tables = new Map<string, TableWarning>();

  /** `selects`: the tables the pipeline reads; statements on others are not its business. */
  constructor(log: Logger, metrics: PipelineMetrics | null, selects: (database: string, table: string) => boolean, now: () => number = Date.now) {
    this.#log = log;
    this.#metrics = metrics;
    this.#selects = selects;
    this.#now = now;
  }

  /** A statement of the binlog that is neither DDL nor transaction control, in `database` (the session's default). */
  note(sql: string, database: string, position: BinlogResumePosition): void {
    const statement = dmlStatement(sql, database);
    if (!statement) return;
    const target = statement.target;
    if (target && !this.#selects(target.database, target.table)) return;
    this.#metrics?.recordError(STATEMENT_DML);
    const table = target ? `${target.database}.${target.table}` : null;
    const now = this.#now();
    const last = this.#tables.get(table ?? "");
    if (last && now - last.at < REPEAT_AFTER_MS) {
      last.since++;
      return;
    }
    const statements = 1 + (last?.since ?? 0);
    this.#tables.set(table ?? "", { at: now, since: 0 });
    this.#log.warn(
      { code: STATEMENT_DML, table, statement: statement.verb, position: `${position.file}:${position.offset}`, statements, hint: HINT },
      `${statement.verb} statements on ${table ?? "tables the pipeline cannot tell apart"} were logged as SQL text, not as rows (binlog_format STATEMENT or MIXED in the writing session): their changes are not in Kafka`,
    );
  }
}
