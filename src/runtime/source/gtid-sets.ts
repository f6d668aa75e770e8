// Which GTIDs of a start position a server's binlog does not hold yet, in either flavour's
// notation. MariaDB: a position names the last transaction per domain (D-S-N), and the binlog
// state (@@gtid_binlog_state) the last one per domain and server id; a server holds D-S-N when
// it logged D-S-M with M >= N, as the server itself decides when a replica connects. MySQL: sets
// of intervals per source uuid (and tag, 8.3+), compared interval by interval.

/** A GTID of the start position the server lacks; `passed`: its domain went further without it (MariaDB). */
export interface MissingGtid {
  gtid: string;
  passed: boolean;
}

interface MariadbGtid {
  domain: number;
  server: number;
  seq: bigint;
}

function mariadbGtids(text: string): MariadbGtid[] {
  return text.split(",").map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const m = /^(\d+)-(\d+)-(\d+)$/.exec(entry);
    if (!m) throw new Error(`not a MariaDB GTID: "${entry}"`);
    return { domain: Number(m[1]), server: Number(m[2]), seq: BigInt(m[3] as string) };
  });
}

/** The GTIDs of `wanted` (a MariaDB position) that `binlogState` (@@gtid_binlog_state) does not hold. */
export function mariadbGtidsMissing(wanted: string, binlogState: string): MissingGtid[] {
  const logged = mariadbGtids(binlogState);
  const missing: MissingGtid[] = [];
  for (const want of mariadbGtids(wanted)) {
    const sameWriter = logged.find((g) => g.domain === want.domain && g.server === want.server);
    if (sameWriter && sameWriter.seq >= want.seq) continue;
    // Within a domain sequence numbers keep rising across a failover to a new server id: a
    // domain logged beyond N without D-S-N follows another history; one short of N is behind.
    const passed = logged.some((g) => g.domain === want.domain && g.seq >= want.seq);
    missing.push({ gtid: `${want.domain}-${want.server}-${want.seq}`, passed });
  }
  return missing;
}

type Intervals = [bigint, bigint][];

/** A MySQL GTID set as intervals per source ("uuid" or "uuid:tag"). */
function mysqlGtidSet(text: string): Map<string, Intervals> {
  const set = new Map<string, Intervals>();
  for (const entry of text.split(",").map((e) => e.replace(/\s/g, "")).filter(Boolean)) {
    const [uuid, ...items] = entry.toLowerCase().split(":");
    let source = uuid as string;
    for (const item of items) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(item);
      if (!m) {
        source = `${uuid}:${item}`;
        continue;
      }
      const intervals = set.get(source) ?? [];
      intervals.push([BigInt(m[1] as string), BigInt(m[2] ?? (m[1] as string))]);
      set.set(source, intervals);
    }
  }
  return set;
}

/** What of `wanted` lies outside `have`, interval by interval. */
function subtract(wanted: Intervals, have: Intervals): Intervals {
  let rest = wanted;
  for (const [from, to] of have) {
    rest = rest.flatMap(([a, b]): Intervals => {
      if (to < a || from > b) return [[a, b]];
      const left: Intervals = a < from ? [[a, from - 1n]] : [];
      return b > to ? [...left, [to + 1n, b]] : left;
    });
  }
  return rest;
}

/** The transactions of `wanted` that `executed` (@@gtid_executed) lacks, as GTID set text per source. */
export function mysqlGtidsMissing(wanted: string, executed: string): MissingGtid[] {
  const have = mysqlGtidSet(executed);
  const missing: MissingGtid[] = [];
  for (const [source, intervals] of mysqlGtidSet(wanted)) {
    const rest = subtract(intervals, have.get(source) ?? []);
    if (rest.length > 0) missing.push({ gtid: `${source}:${rest.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(":")}`, passed: false });
  }
  return missing;
}
