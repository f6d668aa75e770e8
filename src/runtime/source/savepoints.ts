// Savepoints of the open transaction. A binlog transaction may hold rows that were rolled back
// to a savepoint: when the server cannot cut them out of its binlog cache (a statement after
// the savepoint also changed a non-transactional table) it logs `SAVEPOINT s` and
// `ROLLBACK TO s` around them for replicas to replay. The transaction assembler marks where each
// savepoint stood, in memory and in the transaction's spill file, and cuts its rows back to it.
import type { SourceEvent } from "./binlog-events.js";
import type { SpillMark } from "./spilled-rows.js";

export interface SavepointMark {
  /** Where the spill file ended (empty when nothing was spilled yet). */
  spilled: SpillMark;
  /** Rows events held in memory, and their rows, at the savepoint. */
  events: number;
  rows: number;
  bytes: number;
}

/** MySQL's savepoint names are case-insensitive; the binlog quotes them with backticks. */
function savepointName(text: string): string {
  const quoted = /^`((?:[^`]|``)+)`$/.exec(text);
  return (quoted ? (quoted[1] as string).replaceAll("``", "`") : text).toLowerCase();
}

// Anything after the keywords is the name: a ROLLBACK TO must never be read as a whole ROLLBACK.
const SAVEPOINT = /^\s*SAVEPOINT\s+(.+?)\s*$/is;
const ROLLBACK_TO = /^\s*ROLLBACK\s+(?:WORK\s+)?TO\s+(?:SAVEPOINT\s+)?(.+?)\s*$/is;

/** `SAVEPOINT name` or `ROLLBACK TO name` as a source event; null for other statements (a plain ROLLBACK). */
export function savepointStatement(sql: string): Extract<SourceEvent, { type: "savepoint" | "rollback-to-savepoint" }> | null {
  const set = SAVEPOINT.exec(sql);
  if (set) return { type: "savepoint", name: savepointName(set[1] as string) };
  const back = ROLLBACK_TO.exec(sql);
  return back ? { type: "rollback-to-savepoint", name: savepointName(back[1] as string) } : null;
}

export class Savepoints {
  /** In the order set: a rollback to one forgets those set after it, as the server does. */
  readonly #marks = new Map<string, SavepointMark>();

  set(name: string, mark: SavepointMark): void {
    this.#marks.delete(name);
    this.#marks.set(name, mark);
  }

  /** The savepoint's mark, and the later savepoints forgotten; undefined for a name never set. */
  rollbackTo(name: string): SavepointMark | undefined {
    const mark = this.#marks.get(name);
    if (!mark) return undefined;
    let after = false;
    for (const key of [...this.#marks.keys()]) {
      if (after) this.#marks.delete(key);
      if (key === name) after = true;
    }
    return mark;
  }

  /** The in-memory positions savepoints point at, in order (the spill splits its writes there). */
  inMemoryCuts(): number[] {
    return [...new Set([...this.#marks.values()].map((m) => m.events).filter((events) => events > 0))].sort((a, b) => a - b);
  }

  /** The rows up to in-memory position `events` went to the file, which now ends at `spilled`. */
  moveToFile(events: number, spilled: SpillMark): void {
    for (const mark of this.#marks.values()) {
      if (mark.events !== events) continue;
      mark.spilled = spilled;
      mark.events = 0;
      mark.rows = 0;
      mark.bytes = 0;
    }
  }

  clear(): void {
    this.#marks.clear();
  }
}
