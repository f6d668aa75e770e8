// Warns of data changes the binlog holds as SQL statements instead of rows
// (source/dml-statement.ts): the stream cannot send them, so Kafka lacks them. The first one of
// a table (or of a stored function, or of a statement naming no table) is logged at once; the
// ones after it within a minute are counted and logged together when the minute is up, with
// their number, so a session writing in STATEMENT format all day does not flood the log and
// every statement is in the count of one line. Each one also counts in
// dts_errors_total{kind="statement-dml"}, which an alert can watch.
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { Logger } from "../logger.js";
import type { PipelineMetrics } from "../observe/metrics.js";
import { dmlStatement, type DmlStatement } from "../source/dml-statement.js";

export const STATEMENT_DML = "statement-dml";

const REPEAT_AFTER_MS = 60_000;
/** How much of a statement a warning quotes. */
const QUOTED_LENGTH = 200;

const HINT =
  "make every session that writes these tables log rows: binlog_format = ROW globally and no SET SESSION binlog_format = STATEMENT or MIXED " +
  "(MariaDB also logs the emptying of a MEMORY table at a restart as a DELETE); then run an initial sync of the table to bring Kafka level";

/** One statement as its warning tells it. */
interface Noted {
  statement: DmlStatement;
  sql: string;
  position: BinlogResumePosition;
}

interface Subject {
  /** When the last line about it was logged. */
  loggedAt: number;
  /** Statements since that line, not yet logged; the latest of them. */
  waiting: number;
  latest: Noted | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/** What a warning is about: the table, the stored function, or the kind of statement. */
function subjectOf({ target, calls, verb }: DmlStatement): string {
  if (target) return `${target.database}.${target.table}`;
  return calls ? `function ${calls.database}.${calls.table}` : `${verb} statements`;
}

function messageOf({ target, calls, verb }: DmlStatement, quoted: string): string {
  const notInKafka = "not as rows (binlog_format STATEMENT or MIXED in the writing session): their changes are not in Kafka";
  if (target) return `${verb} statements on ${target.database}.${target.table} were logged as SQL text, ${notInKafka}`;
  if (calls) return `calls of the stored function ${calls.database}.${calls.table} that wrote rows were logged as SQL text (${quoted}), ${notInKafka}`;
  return `${verb} statements on tables the pipeline cannot tell apart were logged as SQL text (${quoted}), ${notInKafka}`;
}

export class StatementWarnings {
  readonly #log: Logger;
  readonly #metrics: PipelineMetrics | null;
  readonly #selects: (database: string, table: string) => boolean;
  readonly #now: () => number;
  readonly #subjects = new Map<string, Subject>();

  /** `selects`: the tables the pipeline reads; statements on others are not its business. */
  constructor(log: Logger, metrics: PipelineMetrics | null, selects: (database: string, table: string) => boolean, now: () => number = Date.now) {
    this.#log = log;
    this.#metrics = metrics;
    this.#selects = selects;
    this.#now = now;
  }

  /** A statement of the binlog other than transaction control, in `database` (the session's default). */
  note(sql: string, database: string, position: BinlogResumePosition): void {
    const statement = dmlStatement(sql, database);
    if (!statement) return;
    const target = statement.target;
    if (target && !this.#selects(target.database, target.table)) return;
    this.#metrics?.recordError(STATEMENT_DML);
    const key = subjectOf(statement);
    const noted = { statement, sql, position };
    const subject = this.#subjects.get(key);
    const now = this.#now();
    if (!subject || (subject.timer === null && now - subject.loggedAt >= REPEAT_AFTER_MS)) {
      this.#subjects.set(key, { loggedAt: now, waiting: 0, latest: null, timer: null });
      this.#warn(noted, 1);
      return;
    }
    subject.waiting++;
    subject.latest = noted;
    subject.timer ??= setTimeout(() => this.#logWaiting(subject), Math.max(0, subject.loggedAt + REPEAT_AFTER_MS - now));
    subject.timer.unref?.();
  }

  /** Logs the statements counted but not yet logged, now (the stream stops). */
  flush(): void {
    for (const subject of this.#subjects.values()) this.#logWaiting(subject);
  }

  #logWaiting(subject: Subject): void {
    if (subject.timer) clearTimeout(subject.timer);
    subject.timer = null;
    if (subject.waiting === 0 || !subject.latest) return;
    this.#warn(subject.latest, subject.waiting);
    subject.loggedAt = this.#now();
    subject.waiting = 0;
    subject.latest = null;
  }

  /** One line for `statements` statements, `noted` the latest of them. */
  #warn({ statement, sql, position }: Noted, statements: number): void {
    const quoted = sql.replace(/\s+/g, " ").trim().slice(0, QUOTED_LENGTH);
    const table = statement.target ? `${statement.target.database}.${statement.target.table}` : null;
    const routine = statement.calls ? `${statement.calls.database}.${statement.calls.table}` : undefined;
    this.#log.warn(
      { code: STATEMENT_DML, table, ...(routine ? { function: routine } : {}), statement: statement.verb, sql: quoted, position: `${position.file}:${position.offset}`, statements, hint: HINT },
      messageOf(statement, quoted),
    );
  }
}
