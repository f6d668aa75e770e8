// Tells the user how far the initial sync is: on a terminal a line per table (rows done of the
// estimate, rows/s, ETA) redrawn in place, or for many tables a line per table being copied
// and one for the rest; otherwise a structured log line per table every few
// seconds and when a table finishes, which log collectors can chart.
import type { Logger } from "../logger.js";
import { printable } from "../terminal-text.js";

interface TableLine {
  rowsDone: number;
  /** Rows done before this run (a resumed snapshot), left out of the rate. */
  rowsAtStart: number;
  estimate: number;
  startedAt: number | null;
  done: boolean;
  lastLogAt: number;
}

export interface ProgressReporterOptions {
  log: Logger;
  /** Where the bars go; null for log lines only. */
  terminal: NodeJS.WriteStream | null;
  intervalMs?: number;
  now?: () => number;
  /** Also published as metrics (dts_snapshot_rows_done / _total), when the runtime serves them. */
  metrics?: { setSnapshotProgress(table: string, rowsDone: number, rowsTotal: number): void } | null;
}

export class ProgressReporter {
  readonly #tables = new Map<string, TableLine>();
  readonly #log: Logger;
  readonly #terminal: NodeJS.WriteStream | null;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #metrics: ProgressReporterOptions["metrics"];
  #drawnLines = 0;
  #lastDrawAt = 0;

  constructor(options: ProgressReporterOptions) {
    this.#log = options.log;
    this.#terminal = options.terminal;
    this.#intervalMs = options.intervalMs ?? (options.terminal ? 500 : 5000);
    this.#now = options.now ?? Date.now;
    this.#metrics = options.metrics ?? null;
  }

  addTable(id: string, estimate: number, rowsDone: number, done: boolean): void {
    this.#tables.set(id, { rowsDone, rowsAtStart: rowsDone, estimate, startedAt: null, done, lastLogAt: 0 });
    this.#metrics?.setSnapshotProgress(id, rowsDone, done ? rowsDone : Math.max(estimate, rowsDone));
  }

  started(id: string): void {
    const line = this.#tables.get(id);
    if (line && line.startedAt === null) line.startedAt = this.#now();
  }

  advance(id: string, rowsDone: number, done: boolean): void {
    const line = this.#tables.get(id);
    if (!line) return;
    const base = line.rowsDone;
    line.rowsDone = rowsDone;
    if (line.startedAt === null) line.startedAt = this.#now();
    const finishing = done && !line.done;
    line.done = done;
    this.#metrics?.setSnapshotProgress(id, rowsDone, done ? rowsDone : Math.max(line.estimate, rowsDone));
    const now = this.#now();
    if (this.#terminal) {
      if (finishing || now - this.#lastDrawAt >= this.#intervalMs) this.#draw();
      return;
    }
    if (finishing || now - line.lastLogAt >= this.#intervalMs || base === 0) {
      line.lastLogAt = now;
      const { rate, etaSeconds } = this.#speed(line);
      this.#log.info({ table: id, rowsDone, rowsEstimated: Math.max(line.estimate, rowsDone), rowsPerSecond: rate, etaSeconds, done }, done ? "initial sync of table finished" : "initial sync progress");
    }
  }

  /** Draws the final state once more and leaves the terminal lines in place. */
  finish(): void {
    if (this.#terminal) this.#draw();
    this.#drawnLines = 0;
  }

  #speed(line: TableLine): { rate: number; etaSeconds: number | null } {
    const seconds = line.startedAt === null ? 0 : (this.#now() - line.startedAt) / 1000;
    const rate = seconds > 0 ? Math.round((line.rowsDone - line.rowsAtStart) / seconds) : 0;
    const left = Math.max(0, line.estimate - line.rowsDone);
    return { rate, etaSeconds: line.done ? 0 : rate > 0 ? Math.round(left / rate) : null };
  }

  #draw(): void {
    const terminal = this.#terminal as NodeJS.WriteStream;
    this.#lastDrawAt = this.#now();
    const all = [...this.#tables];
    // Many tables: the ones being copied and a count of the rest, so a redraw stays short.
    const shown = all.length <= ALL_TABLES_UP_TO ? all : all.filter(([, line]) => line.startedAt !== null && !line.done);
    const width = Math.max(5, ...shown.map(([id]) => id.length));
    // Table names come from the server: shown escaped, never obeyed by the terminal.
    const lines = shown.map(([id, line]) => renderLine(printable(id).padEnd(width), line.rowsDone, line.estimate, line.done, this.#speed(line)));
    if (shown.length < all.length) lines.push(summaryLine(all.map(([, line]) => line)));
    // Up to the first line drawn last time, and clear below it: the count of lines may change.
    const up = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}A\x1b[0J` : "";
    terminal.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join("")}`);
    this.#drawnLines = lines.length;
  }
}

/** Up to this many tables the terminal shows a line for each. */
const ALL_TABLES_UP_TO = 20;

function summaryLine(lines: TableLine[]): string {
  let done = 0;
  let copying = 0;
  let rows = 0;
  for (const line of lines) {
    if (line.done) done++;
    else if (line.startedAt !== null) copying++;
    rows += line.rowsDone;
  }
  return `${done} of ${lines.length} tables done, ${copying} being copied, ${lines.length - done - copying} waiting; ${rows} rows copied`;
}

export function renderLine(name: string, rowsDone: number, estimate: number, done: boolean, speed: { rate: number; etaSeconds: number | null }): string {
  const total = Math.max(estimate, rowsDone);
  const fraction = done ? 1 : total > 0 ? rowsDone / total : 0;
  const filled = Math.round(fraction * 24);
  const bar = `${"█".repeat(filled)}${"░".repeat(24 - filled)}`;
  const eta = done ? "done" : speed.etaSeconds === null ? "ETA —" : `ETA ${formatSeconds(speed.etaSeconds)}`;
  return `${name} ${bar} ${String(Math.floor(fraction * 100)).padStart(3)}% ${rowsDone}/${done ? rowsDone : `~${total}`} rows ${speed.rate} rows/s ${eta}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}
