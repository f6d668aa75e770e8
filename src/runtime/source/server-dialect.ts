// The replication statements and privilege names a source server understands, chosen by its
// flavour and version in this one place. MySQL renamed its replication terms in steps (SHOW
// REPLICAS in 8.0.22, SHOW BINARY LOG STATUS in 8.2) and removed the old statements in 8.4;
// MariaDB kept SHOW MASTER STATUS and SHOW SLAVE HOSTS, and answers SHOW REPLICAS with a syntax
// error. Each new statement is used from the release that has it, so no server ever sees a
// statement it deprecated or removed. The privileges keep their names in SHOW GRANTS on every
// MySQL release (8.4 and 9.x still print REPLICATION SLAVE and REPLICATION CLIENT); MariaDB
// 10.5.2 split BINLOG MONITOR out of REPLICATION CLIENT, and prints REPLICATION REPLICA (an alias
// since 10.5.1) as REPLICATION SLAVE.

export interface ServerVersion {
  major: number;
  minor: number;
  patch: number;
}

export interface ServerDialect {
  isMariaDb: boolean;
  version: ServerVersion | null;
  /** The binlog file and offset the server writes next: columns File and Position. */
  binlogStatus: "SHOW MASTER STATUS" | "SHOW BINARY LOG STATUS";
  /** The replicas connected now: Server_id, Host, Port. */
  listReplicas: "SHOW SLAVE HOSTS" | "SHOW REPLICAS";
  /** The binlog files the server still has: Log_name, File_size (the same on every release). */
  listBinlogs: "SHOW BINARY LOGS";
  /** The privilege binlogStatus and listBinlogs need. */
  monitorPrivilege: "BINLOG MONITOR" | "REPLICATION CLIENT";
  /** The privilege to read the binlog stream. */
  replicationPrivilege: "REPLICATION SLAVE";
}

/** `8.4.3`, `9.1.0-commercial`, `8.0.36-28` (Percona) or `10.11.6-MariaDB-log`. */
export function parseServerVersion(version: string): ServerVersion | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) } : null;
}

function atLeast(v: ServerVersion | null, major: number, minor: number, patch: number): boolean {
  if (!v) return true; // an unreadable version is a new one more likely than an old one
  return v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch;
}

export function isMariaDbVersion(version: string): boolean {
  return /mariadb/i.test(version);
}

/** The dialect of a server from its `@@version`. */
export function serverDialect(versionText: string): ServerDialect {
  const version = parseServerVersion(versionText);
  const listBinlogs = "SHOW BINARY LOGS";
  const replicationPrivilege = "REPLICATION SLAVE";
  if (isMariaDbVersion(versionText)) {
    return {
      isMariaDb: true,
      version,
      binlogStatus: "SHOW MASTER STATUS",
      listReplicas: "SHOW SLAVE HOSTS",
      listBinlogs,
      monitorPrivilege: atLeast(version, 10, 5, 2) ? "BINLOG MONITOR" : "REPLICATION CLIENT",
      replicationPrivilege,
    };
  }
  return {
    isMariaDb: false,
    version,
    binlogStatus: atLeast(version, 8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS",
    listReplicas: atLeast(version, 8, 0, 22) ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS",
    listBinlogs,
    monitorPrivilege: "REPLICATION CLIENT",
    replicationPrivilege,
  };
}

/** Privilege names as SHOW GRANTS may print them, mapped to the names the checks ask for. */
export const privilegeSynonyms: Readonly<Record<string, string>> = {
  "REPLICATION REPLICA": "REPLICATION SLAVE",
};

/** A column of a SHOW result whatever its case (Server_id, Server_Id). */
export function column(row: Record<string, unknown>, name: string): unknown {
  if (name in row) return row[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(row)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

export interface ReplicaRow {
  serverId: number;
  host: string;
  port: number;
}

/** The rows of listReplicas, from SHOW SLAVE HOSTS or SHOW REPLICAS alike. */
export function replicaRows(rows: readonly Record<string, unknown>[]): ReplicaRow[] {
  return rows.map((r) => ({ serverId: Number(column(r, "Server_id")), host: String(column(r, "Host") ?? ""), port: Number(column(r, "Port") ?? 0) }));
}
