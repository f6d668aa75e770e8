// gh-ost's statement sequence, replayed on the server: gh-ost itself cannot be installed here
// (the Go module proxy refuses it), so this script writes to the binlog what gh-ost writes, in
// the order its documentation gives (github.com/github/gh-ost, doc/triggerless-design.md
// "Workflow overview", doc/cut-over.md, issue #82 for the atomic cut-over):
//
// 1. the changelog table `_t_ghc` and the ghost table `_t_gho` (CREATE ... LIKE, then the ALTER,
//    then the original's AUTO_INCREMENT counter);
// 2. a binlog reader that applies each change of `t` to the ghost table, as gh-ost's applier
//    does: an insert as REPLACE INTO (newer releases write INSERT IGNORE, gh-ost PR #1633: for a
//    table keyed by its primary key the rows come out the same), a delete as DELETE, an update as
//    UPDATE, all by primary key;
// 3. the row copy, chunk by chunk over key ranges read at the start (INSERT IGNORE ... SELECT ...
//    LOCK IN SHARE MODE), while the reader keeps applying;
// 4. the atomic cut-over: the sentry table `_t_del`, LOCK TABLES t WRITE, _t_del WRITE, a state
//    hint in the changelog so the reader proves it applied every change up to the lock, a RENAME
//    TABLE t TO _t_del, _t_gho TO t from another connection (blocked by the lock and the sentry),
//    then DROP the sentry and UNLOCK TABLES, which lets the RENAME through;
// 5. cleanup: DROP the changelog and the old table (--ok-to-drop-table).
import type mysql from "mysql2/promise";
import type { SourceEvent } from "../../src/runtime/source/binlog-events.js";
import { BinlogReader } from "../../src/runtime/source/binlog-reader.js";
import { rootConnection, stackEnv } from "./runtime-helpers.js";

export interface GhostMigration {
  database: string;
  table: string;
  /** What the ALTER changes, as gh-ost's --alter takes it: "ADD COLUMN c INT". */
  alter: string;
  /** The primary key column (one INT column, which is all this script handles). */
  key: string;
  chunkSize: number;
  /**
   * Holds the caller's writes across the cut-over. gh-ost relies on MySQL granting the waiting
   * RENAME before DML held back by LOCK TABLES; on MariaDB such a DML may run on the old table
   * first (the RENAME waits on the sentry's lock, not yet on the table's), after the applier
   * stopped, so the new table would never get it.
   */
  holdWrites?: { pause(): Promise<void>; resume(): void };
}

type RowsEvent = Extract<SourceEvent, { type: "rows" }>;
type Row = { readonly [position: number]: unknown };

const q = (name: string) => `\`${name.replace(/`/g, "``")}\``;

/** Applies the original table's binlog changes to the ghost table, in binlog order. */
class GhostApplier {
  readonly #reader: BinlogReader;
  #stopped = false;
  #seenHints = new Set<string>();
  #waiters: { hint: string; resolve: () => void }[] = [];
  readonly done: Promise<void>;

  constructor(
    private readonly m: GhostMigration,
    private readonly db: mysql.Connection,
    start: { file: string; offset: number },
  ) {
    const env = stackEnv();
    const options = { host: env.MYSQL_HOST, port: Number(env.MYSQL_PORT), user: env.MYSQL_ROOT_USER ?? "root", password: env.MYSQL_ROOT_PASSWORD };
    const watched = new Set([m.table, `_${m.table}_ghc`]);
    this.#reader = new BinlogReader(options, 7000 + Math.floor(Math.random() * 1000), { kind: "position", ...start }, (database, table) => database === m.database && watched.has(table));
    this.done = this.#reader.start().then(() => this.#loop());
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      await this.#reader.waitForEvents();
      for (const event of this.#reader.take()) {
        if (this.#stopped) break;
        if (event.type === "rows") await this.#apply(event);
      }
    }
  }

  async #apply(event: RowsEvent): Promise<void> {
    if (event.table !== this.m.table) return this.#noteHints(event);
    const names = event.tableMap.names;
    const ghost = `${q(this.m.database)}.${q(`_${this.m.table}_gho`)}`;
    const keyAt = names.indexOf(this.m.key);
    const values = (row: Row) => names.map((_, i) => row[i]);
    if (event.kind === "insert") {
      for (const row of event.rows as Row[]) await this.db.query(`REPLACE /* gh-ost */ INTO ${ghost} (${names.map(q).join(", ")}) VALUES (?)`, [values(row)]);
    } else if (event.kind === "delete") {
      for (const row of event.rows as Row[]) await this.db.query(`DELETE /* gh-ost */ FROM ${ghost} WHERE ${q(this.m.key)} = ?`, [row[keyAt]]);
    } else {
      for (const { before, after } of event.rows as { before: Row; after: Row }[]) {
        const set = names.map((name) => `${q(name)} = ?`).join(", ");
        await this.db.query(`UPDATE /* gh-ost */ ${ghost} SET ${set} WHERE ${q(this.m.key)} = ?`, [...values(after), before[keyAt]]);
      }
    }
  }

  #noteHints(event: RowsEvent): void {
    const valueAt = event.tableMap.names.indexOf("value");
    const rows = event.kind === "update" ? (event.rows as { after: Row }[]).map((r) => r.after) : event.kind === "insert" ? (event.rows as Row[]) : [];
    for (const row of rows) this.#seenHints.add(String(row[valueAt]));
    // Past the lock's hint the original table takes no writes until the RENAME swaps the ghost
    // in, and the table's later changes are the new table's: the applier's work is done.
    if ([...this.#seenHints].some((hint) => hint.startsWith("AllEventsUpToLockProcessed"))) this.#stopped = true;
    this.#waiters = this.#waiters.filter((w) => (this.#seenHints.has(w.hint) ? (w.resolve(), false) : true));
  }

  /** Resolves once the reader applied everything before the changelog row carrying `hint`. */
  async reached(hint: string): Promise<void> {
    if (this.#seenHints.has(hint)) return;
    await new Promise<void>((resolve) => this.#waiters.push({ hint, resolve }));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#reader.stop();
    await this.done;
  }
}

/** Runs the migration; the table must have an INT primary key `m.key`. */
export async function runGhostMigration(m: GhostMigration): Promise<void> {
  const db = await rootConnection(m.database);
  const applierDb = await rootConnection(m.database);
  let applier: GhostApplier | undefined;
  try {
    await createGhost(db, m);
    const [[status]] = (await db.query("SHOW MASTER STATUS")) as unknown as [{ File: string; Position: number }[]];
    if (!status) throw new Error("SHOW MASTER STATUS returned nothing: the server must write a binlog");
    applier = new GhostApplier(m, applierDb, { file: status.File, offset: Number(status.Position) });
    await writeHint(db, m, "state", "GhostTableMigrated");
    await copyRows(db, m);
    await m.holdWrites?.pause();
    try {
      await cutOver(db, m, applier);
    } finally {
      m.holdWrites?.resume();
    }
    await applier.stop();
    applier = undefined;
    const name = (suffix: string) => `${q(m.database)}.${q(`_${m.table}_${suffix}`)}`;
    await db.query(`DROP /* gh-ost */ TABLE IF EXISTS ${name("ghc")}`);
    await db.query(`DROP /* gh-ost */ TABLE IF EXISTS ${name("del")}`);
  } finally {
    await applier?.stop().catch(() => undefined);
    await db.end();
    await applierDb.end();
  }
}

async function createGhost(db: mysql.Connection, m: GhostMigration): Promise<void> {
  const name = (suffix: string) => `${q(m.database)}.${q(`_${m.table}_${suffix}`)}`;
  await db.query(`DROP /* gh-ost */ TABLE IF EXISTS ${name("gho")}`);
  await db.query(`DROP /* gh-ost */ TABLE IF EXISTS ${name("ghc")}`);
  await db.query(
    `CREATE /* gh-ost */ TABLE ${name("ghc")} (id BIGINT UNSIGNED AUTO_INCREMENT, last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, ` +
      `hint VARCHAR(64) CHARSET ascii NOT NULL, value VARCHAR(4096) CHARSET ascii NOT NULL, PRIMARY KEY (id), UNIQUE KEY hint_uidx (hint)) AUTO_INCREMENT=256 COMMENT='gh-ost changelog'`,
  );
  await db.query(`CREATE /* gh-ost */ TABLE ${name("gho")} LIKE ${q(m.database)}.${q(m.table)}`);
  await db.query(`ALTER /* gh-ost */ TABLE ${name("gho")} ${m.alter}`);
  // gh-ost then copies the original's AUTO_INCREMENT counter, unless the ALTER sets one.
  const [[status]] = (await db.query("SELECT AUTO_INCREMENT AS next FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", [m.database, m.table])) as unknown as [
    { next: number | null }[],
  ];
  if (status?.next && !/auto_increment/i.test(m.alter)) await db.query(`ALTER /* gh-ost */ TABLE ${name("gho")} AUTO_INCREMENT=${Number(status.next)}`);
}

async function writeHint(db: mysql.Connection, m: GhostMigration, hint: string, value: string): Promise<void> {
  const changelog = `${q(m.database)}.${q(`_${m.table}_ghc`)}`;
  await db.query(`INSERT /* gh-ost */ INTO ${changelog} (hint, value) VALUES (?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value), last_update = NOW()`, [hint, value]);
}

/** Copies the rows that exist at the start, by key range; later ones arrive through the applier. */
async function copyRows(db: mysql.Connection, m: GhostMigration): Promise<void> {
  const original = `${q(m.database)}.${q(m.table)}`;
  const [[range]] = (await db.query(`SELECT MIN(${q(m.key)}) AS low, MAX(${q(m.key)}) AS high FROM ${original}`)) as unknown as [{ low: number | null; high: number | null }[]];
  if (!range || range.low === null || range.high === null) return;
  const [columns] = (await db.query(`SHOW COLUMNS FROM ${original}`)) as unknown as [{ Field: string }[]];
  const shared = columns.map((c) => q(c.Field)).join(", ");
  for (let low = Number(range.low); low <= Number(range.high); low += m.chunkSize) {
    const high = Math.min(low + m.chunkSize - 1, Number(range.high));
    await db.query(
      `INSERT /* gh-ost */ IGNORE INTO ${q(m.database)}.${q(`_${m.table}_gho`)} (${shared}) ` +
        `(SELECT ${shared} FROM ${original} FORCE INDEX (PRIMARY) WHERE ${q(m.key)} >= ? AND ${q(m.key)} <= ? LOCK IN SHARE MODE)`,
      [low, high],
    );
  }
}

/** The atomic cut-over of doc/cut-over.md: lock, drain the backlog, RENAME blocked by the sentry, unlock. */
async function cutOver(db: mysql.Connection, m: GhostMigration, applier: GhostApplier): Promise<void> {
  const name = (table: string) => `${q(m.database)}.${q(table)}`;
  const [original, ghost, sentry] = [name(m.table), name(`_${m.table}_gho`), name(`_${m.table}_del`)];
  const locker = await rootConnection(m.database);
  const renamer = await rootConnection(m.database);
  try {
    await locker.query(`CREATE /* gh-ost */ TABLE ${sentry} (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB COMMENT='ghost-cut-over-sentry'`);
    await locker.query(`LOCK /* gh-ost */ TABLES ${original} WRITE, ${sentry} WRITE`);
    const hint = `AllEventsUpToLockProcessed:${Date.now()}`;
    await writeHint(db, m, "state", hint);
    await applier.reached(hint);
    const renamed = renamer.query(`RENAME /* gh-ost */ TABLE ${original} TO ${sentry}, ${ghost} TO ${original}`);
    // Awaited below, after the unlock it waits for; a failure meanwhile must not go unhandled.
    renamed.catch(() => undefined);
    await waitUntilBlocked(db, renamer.threadId);
    await locker.query(`DROP /* gh-ost */ TABLE IF EXISTS ${sentry}`);
    await locker.query("UNLOCK /* gh-ost */ TABLES");
    await renamed;
  } finally {
    await locker.end();
    await renamer.end();
  }
}

/** gh-ost checks the processlist until its RENAME waits on the metadata lock. */
async function waitUntilBlocked(db: mysql.Connection, connectionId: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [rows] = (await db.query("SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?", [connectionId])) as unknown as [{ STATE: string }[]];
    if (/metadata lock/i.test(rows[0]?.STATE ?? "")) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the cut-over RENAME never waited on the metadata lock");
}
