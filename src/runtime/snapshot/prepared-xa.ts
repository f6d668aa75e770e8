// An XA branch writes its rows to the binlog at XA PREPARE and makes them real at a later
// XA COMMIT. One prepared before the initial sync's start position and committed after it would
// be missing twice: the copy reads the rows as they were before the branch, and the stream,
// starting after its prepare, meets only a commit it has no rows for. So the sync takes its
// start only while no branch is prepared, waiting for those that are, as it would wait for
// a lock.
import type { Logger } from "../logger.js";
import type { BinlogPoint } from "./binlog-position.js";

type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface PreparedXaWait {
  log: Pick<Logger, "warn" | "info">;
  /** True once the session should stop: the wait ends and the start is taken as it is. */
  stopped: () => boolean;
  pollMs?: number;
  logEveryMs?: number;
  now?: () => number;
}

/** The ids of the branches prepared now; null when the server will not say (MySQL without XA_RECOVER_ADMIN). */
async function preparedBranches(query: Query): Promise<string[] | null> {
  try {
    return (await query("XA RECOVER")).map((row) => String(row.data ?? ""));
  } catch {
    return null;
  }
}

/**
 * Takes the sync's start with `start` once no XA branch is prepared before or after it. A
 * branch that prepared and committed in the moment between the checks and the start itself
 * is not seen (a window of a few milliseconds).
 */
export async function startWithoutPreparedXa(query: Query, start: () => Promise<BinlogPoint>, wait: PreparedXaWait): Promise<BinlogPoint> {
  const now = wait.now ?? Date.now;
  const began = now();
  let loggedAt = Number.NEGATIVE_INFINITY;
  for (;;) {
    let branches = await preparedBranches(query);
    if (branches === null) {
      wait.log.warn({}, "cannot list prepared XA transactions (XA RECOVER; MySQL needs the XA_RECOVER_ADMIN privilege): one prepared before the initial sync's start and committed after it would be missing from Kafka");
      return start();
    }
    if (branches.length === 0 || wait.stopped()) {
      const point = await start();
      branches = await preparedBranches(query);
      if (!branches || branches.length === 0 || wait.stopped()) {
        if (Number.isFinite(loggedAt)) wait.log.info({ waitedSeconds: Math.round((now() - began) / 1000) }, "no XA transaction is prepared any more: the initial sync starts");
        return point;
      }
    }
    if (now() - loggedAt >= (wait.logEveryMs ?? 10_000)) {
      loggedAt = now();
      wait.log.warn(
        { preparedXa: branches.slice(0, 10), count: branches.length, waitedSeconds: Math.round((loggedAt - began) / 1000), hint: "commit or roll back the branches (XA RECOVER lists them; XA COMMIT 'id' or XA ROLLBACK 'id')" },
        "the initial sync waits for prepared XA transactions to end: one prepared before its start and committed after it would be missing from the copy and from the stream",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs ?? 500));
  }
}
