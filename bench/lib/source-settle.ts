// After a workload loads its rows, InnoDB keeps working in the background for a while: it
// flushes the pages the load dirtied (20-50 s after a 1M-row load here, at about 170 pages a
// second) and purges old row versions. A system measured meanwhile would share the two cores
// with that work and the first system of a run would pay for it, so nothing is measured until
// the source is quiet.
import type { Connection } from "mysql2/promise";

const POLL_MS = 250;
const MAX_WAIT_MS = 120_000;
/** InnoDB's page cleaner stops above zero (innodb_max_dirty_pages_pct_lwm): quiet is when it stopped. */
const STEADY_MS = 2000;
const QUIET_HISTORY = 1000;

interface InnodbState {
  dirty: number;
  total: number;
  history: number;
}

async function innodbState(conn: Connection): Promise<InnodbState> {
  const [rows] = await conn.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total', 'Innodb_history_list_length')");
  const value = (name: string) => Number((rows as Array<{ Variable_name: string; Value: string }>).find((r) => r.Variable_name === name)?.Value ?? 0);
  return { dirty: value("Innodb_buffer_pool_pages_dirty"), total: value("Innodb_buffer_pool_pages_total"), history: value("Innodb_history_list_length") };
}

/** Resolves once InnoDB stopped flushing and purged what the load left (or after two minutes); returns the seconds waited. */
export async function waitForQuietSource(conn: Connection, log: (message: string) => void): Promise<number> {
  const started = Date.now();
  let lastLog = started;
  let dirty = -1;
  let dirtySince = started;
  for (;;) {
    const state = await innodbState(conn);
    if (state.dirty !== dirty) {
      dirty = state.dirty;
      dirtySince = Date.now();
    }
    if (Date.now() - lastLog >= 5000) {
      lastLog = Date.now();
      log(`waiting for the source to settle: ${state.dirty} of ${state.total} buffer pool pages dirty, history list ${state.history}`);
    }
    const flushed = state.dirty === 0 || Date.now() - dirtySince >= STEADY_MS;
    if ((flushed && state.history <= QUIET_HISTORY) || Date.now() - started > MAX_WAIT_MS) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return (Date.now() - started) / 1000;
}
