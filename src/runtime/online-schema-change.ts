// pt-online-schema-change and gh-ost change a table by copying it: create a shadow table
// (`_t_new`, `_t_gho`), ALTER the shadow, fill it, then swap it in with one RENAME TABLE. A
// consumer of captured DDL wants the ALTER of the real table, not the tool's CREATE, ALTER,
// triggers, RENAME and DROP. So the ALTERs applied to a shadow table are remembered here, and
// the RENAME that swaps it in is sent as one ALTER of the real table, at the RENAME's place in
// the binlog: rows before it have the old shape, rows after it the new one. The tools' other
// statements are about their own tables, which patterns never select
// (plan/schema-change-tables.ts), or about their triggers, which are never sent.
import { isSchemaChangeHelperTable, isSchemaChangeHelperTrigger } from "../plan/schema-change-tables.js";
import type { DdlTarget, TableName } from "./source/ddl-statement.js";
import { renamePairs } from "./source/ddl-statement.js";
import { alterStatement, alterTable, triggerName } from "./source/schema-change-ddl.js";
import { anyServer, type StatementDialect } from "./source/statement-dialect.js";

export type DdlDisposition =
  /** Sent like any DDL, if its table is selected. */
  | { kind: "ordinary" }
  /** A tool's trigger, or a table renamed away to a tool's name before the swap: never sent. */
  | { kind: "internal" }
  /**
   * The RENAME that swaps a tool's shadow table in as `table`: sent as `sql`, the ALTER the
   * tool made; null when no ALTER of the shadow table was read (it came before the stream's
   * start, or the table was only renamed).
   */
  | { kind: "cut-over"; table: TableName; shadow: TableName; sql: string | null };

const ordinary: DdlDisposition = { kind: "ordinary" };
const autoIncrementOnly = /^auto_increment\s*=?\s*\d+$/i;
const key = (name: TableName) => `${name.database}\u0000${name.table}`;

export class OnlineSchemaChanges {
  /** The changes ALTERed into each shadow table that is not swapped in yet. */
  readonly #pending = new Map<string, string[]>();
  /** The source's, so names compare as the server stores them (the `target`s given are read so too). */
  readonly #dialect: StatementDialect;

  constructor(dialect = anyServer) {
    this.#dialect = dialect;
  }

  /** Sees each DDL statement in binlog order and says how to send it. */
  classify(sql: string, target: DdlTarget, defaultDatabase: string): DdlDisposition {
    const trigger = triggerName(sql, this.#dialect);
    if (trigger !== null) return isSchemaChangeHelperTrigger(trigger) ? { kind: "internal" } : ordinary;
    const pairs = renamePairs(sql, defaultDatabase, this.#dialect);
    const swap = pairs.find(({ from, to }) => isSchemaChangeHelperTable(from.table) && !isSchemaChangeHelperTable(to.table));
    if (swap) {
      const changes = this.#pending.get(key(swap.from));
      this.#pending.delete(key(swap.from));
      return { kind: "cut-over", table: swap.to, shadow: swap.from, sql: changes ? alterStatement(swap.to, changes) : null };
    }
    // gh-ost's two-step cut-over renames the table away to its `_t_del` first: the swap that
    // follows is sent as the ALTER, and a consumer told of the rename away would lose the table.
    if (pairs.length > 0 && pairs.every(({ from, to }) => !isSchemaChangeHelperTable(from.table) && isSchemaChangeHelperTable(to.table))) return { kind: "internal" };
    const table = target.tables[0];
    if (table && isSchemaChangeHelperTable(table.table)) this.#note(sql, table, defaultDatabase);
    return ordinary;
  }

  /** Remembers an ALTER of a shadow table; any other statement on it (CREATE, DROP) starts over. */
  #note(sql: string, table: TableName, defaultDatabase: string): void {
    const alter = alterTable(sql, defaultDatabase, this.#dialect);
    const shadow = key(table);
    const pending = this.#pending.get(shadow);
    if (!alter) this.#pending.delete(shadow);
    // After the user's ALTER, gh-ost copies the original's AUTO_INCREMENT counter to its ghost
    // table: the real table keeps its counter, so that is no change of it.
    else if (!(pending && autoIncrementOnly.test(alter.changes))) this.#pending.set(shadow, [...(pending ?? []), alter.changes]);
  }
}
