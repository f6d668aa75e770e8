// Everything the source-side prechecks need, read in one pass over one connection. The checks
// themselves are pure functions of these facts, so they are unit-tested without a server.
import type mysql from "mysql2/promise";
import { requiredVariableNames } from "../plan/server-requirements.js";
import { readGlobalVariables } from "../runtime/source/server-checks.js";
import { isMariaDbVersion, replicaRows, serverDialect, type ServerDialect } from "../runtime/source/server-dialect.js";
import { SYSTEM_VERSIONED } from "../runtime/source/table-schema.js";

export interface TableFacts {
  database: string;
  table: string;
  /** As information_schema spells it (InnoDB, MRG_MyISAM, ...); null for views. */
  engine: string | null;
  isView: boolean;
  /** A MariaDB SEQUENCE: its one row is the sequence's state, not data the pipeline streams. */
  isSequence: boolean;
  /** MariaDB's WITH SYSTEM VERSIONING (information_schema's TABLE_TYPE 'SYSTEM VERSIONED'). */
  systemVersioned: boolean;
  hasPrimaryKey: boolean;
  /**
   * Without a PRIMARY KEY, a UNIQUE key the server took as its primary key (NOT NULL columns
   * taken whole): the key messages are named by (runtime/source/server-primary-key.ts). A
   * nullable or prefix unique key does not count; the table's rows then have no message key.
   */
  hasUniqueKey: boolean;
  /** Foreign keys of this (child) table whose ON DELETE / ON UPDATE change its rows, described. */
  cascades: string[];
  /** Names of foreign keys of this table whose ON DELETE / ON UPDATE rules the account cannot see. */
  unreadForeignKeys: string[];
}

export interface ReplicaFacts {
  serverId: number;
  host: string;
  port: number;
}

/** A value, or the reason it could not be read (usually a missing privilege). */
export type Readable<T> = { ok: true; value: T } | { ok: false; error: string };

export interface SourceFacts {
  version: string;
  isMariaDb: boolean;
  /** Global variables by lower-case name; a name the server does not know is absent. */
  variables: Record<string, string>;
  /** The server's current UTC offset in seconds, as NOW() - UTC_TIMESTAMP() shows it. */
  utcOffsetSeconds: number | null;
  /** The account as the server authenticated it, e.g. `dts@%`. */
  currentUser: string;
  grants: Readable<string[]>;
  replicas: Readable<ReplicaFacts[]>;
  databases: Readable<string[]>;
  tables: Readable<TableFacts[]>;
}

export const variableNames = [
  ...requiredVariableNames,
  "server_id", "enforce_gtid_consistency", "expire_logs_days", "binlog_expire_logs_seconds", "time_zone", "system_time_zone",
] as const;

const systemSchemas = ["mysql", "information_schema", "performance_schema", "sys"];

async function readable<T>(read: () => Promise<T>): Promise<Readable<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function rows<T>(conn: mysql.Connection, sql: string, params: unknown[] = []): Promise<T[]> {
  const [result] = await conn.query(sql, params);
  return result as T[];
}

/** The connected replicas, with the statement this server's version has (server-dialect.ts). */
async function readReplicas(conn: mysql.Connection, dialect: ServerDialect): Promise<ReplicaFacts[]> {
  return replicaRows(await rows(conn, dialect.listReplicas));
}

/** Foreign-key rules that change the child's rows: the server does not log those changes. */
const CHANGING_RULES = new Set(["CASCADE", "SET NULL", "SET DEFAULT"]);

const tableKey = (schema: string, table: string) => `${schema}\u0000${table}`;

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Keys come from STATISTICS, which lists the indexes of every table the account may read:
 * MariaDB's TABLE_CONSTRAINTS shows an account with only SELECT no rows at all (it wants SHOW
 * VIEW or another privilege besides), and a table would then seem to have no key.
 */
async function readKeys(conn: mysql.Connection): Promise<Map<string, { primary: boolean; unique: boolean }>> {
  // COLUMN_KEY is PRI for the columns of the key the server took, as in table-schema.ts: the
  // PRIMARY KEY, or else its first unique key of NOT NULL whole columns. Not DISTINCT:
  // information_schema compares names without case, and would fold tables whose names differ
  // only in case (lower_case_table_names = 0) into one.
  const [keyed, primary] = await Promise.all([
    rows<{ s: string; t: string }>(conn, "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.COLUMNS WHERE COLUMN_KEY = 'PRI' AND TABLE_SCHEMA NOT IN (?)", [systemSchemas]),
    rows<{ s: string; t: string }>(conn, "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.STATISTICS WHERE INDEX_NAME = 'PRIMARY' AND TABLE_SCHEMA NOT IN (?)", [systemSchemas]),
  ]);
  const explicit = new Set(primary.map((k) => tableKey(k.s, k.t)));
  const keys = new Map<string, { primary: boolean; unique: boolean }>();
  for (const k of keyed) {
    const id = tableKey(k.s, k.t);
    keys.set(id, { primary: explicit.has(id), unique: !explicit.has(id) });
  }
  return keys;
}

/**
 * Foreign keys by child table: KEY_COLUMN_USAGE names them to any account that may read the
 * table, but their rules are only in REFERENTIAL_CONSTRAINTS, which MariaDB hides like
 * TABLE_CONSTRAINTS. A key listed without its rules is reported as unread, not as harmless.
 */
async function readForeignKeys(conn: mysql.Connection): Promise<{ cascades: Map<string, string[]>; unread: Map<string, string[]> }> {
  const named = await rows<{ s: string; t: string; name: string }>(
    conn,
    // Not DISTINCT, for the reason readKeys gives; a key of several columns is listed once below.
    "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, CONSTRAINT_NAME AS name FROM information_schema.KEY_COLUMN_USAGE WHERE REFERENCED_TABLE_NAME IS NOT NULL AND TABLE_SCHEMA NOT IN (?)",
    [systemSchemas],
  );
  const ruled = await rows<{ s: string; t: string; name: string; parent: string; onDelete: string; onUpdate: string }>(
    conn,
    `SELECT CONSTRAINT_SCHEMA AS s, TABLE_NAME AS t, CONSTRAINT_NAME AS name, REFERENCED_TABLE_NAME AS parent, DELETE_RULE AS onDelete, UPDATE_RULE AS onUpdate
       FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA NOT IN (?)`,
    [systemSchemas],
  );
  const cascades = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const c of ruled) {
    seen.add(`${tableKey(c.s, c.t)}\u0000${c.name}`);
    const rules = [["DELETE", c.onDelete], ["UPDATE", c.onUpdate]].filter(([, rule]) => CHANGING_RULES.has(String(rule).toUpperCase())).map(([when, rule]) => `ON ${when} ${rule}`);
    if (rules.length > 0) pushTo(cascades, tableKey(c.s, c.t), `${c.name} (${rules.join(", ")} from ${c.parent})`);
  }
  const unread = new Map<string, string[]>();
  for (const k of named) {
    const id = `${tableKey(k.s, k.t)}\u0000${k.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    pushTo(unread, tableKey(k.s, k.t), k.name);
  }
  return { cascades, unread };
}

async function readTables(conn: mysql.Connection): Promise<TableFacts[]> {
  const tables = await rows<{ s: string; t: string; engine: string | null; type: string }>(
    conn,
    "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, ENGINE AS engine, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN (?)",
    [systemSchemas],
  );
  const keys = await readKeys(conn);
  const foreignKeys = await readForeignKeys(conn);
  return tables.map((t) => {
    const id = tableKey(t.s, t.t);
    return {
      database: t.s,
      table: t.t,
      engine: t.engine,
      isView: t.type === "VIEW",
      isSequence: t.type === "SEQUENCE",
      systemVersioned: t.type === SYSTEM_VERSIONED,
      hasPrimaryKey: keys.get(id)?.primary ?? false,
      hasUniqueKey: keys.get(id)?.unique ?? false,
      cascades: foreignKeys.cascades.get(id) ?? [],
      unreadForeignKeys: foreignKeys.unread.get(id) ?? [],
    };
  });
}

/** `dts@%` as CURRENT_USER() prints it, turned into the quoted form GRANT statements take. */
export function accountForGrant(currentUser: string): string {
  const at = currentUser.lastIndexOf("@");
  if (at < 0) return `'${currentUser}'`;
  return `'${currentUser.slice(0, at)}'@'${currentUser.slice(at + 1)}'`;
}

export async function gatherSourceFacts(conn: mysql.Connection): Promise<SourceFacts> {
  const variables = await readGlobalVariables(conn, variableNames);
  const version = variables.version ?? "";
  const dialect = serverDialect(version);
  const [identity] = await rows<{ user: string; utc_offset: string | number | null }>(
    conn,
    "SELECT CURRENT_USER() AS user, TIME_TO_SEC(TIMEDIFF(NOW(), UTC_TIMESTAMP())) AS utc_offset",
  );
  return {
    version,
    isMariaDb: isMariaDbVersion(version),
    variables,
    utcOffsetSeconds: identity?.utc_offset === null || identity?.utc_offset === undefined ? null : Math.round(Number(identity.utc_offset) / 60) * 60,
    currentUser: identity?.user ?? "",
    grants: await readable(async () => (await rows<Record<string, string>>(conn, "SHOW GRANTS")).map((r) => String(Object.values(r)[0]))),
    replicas: await readable(() => readReplicas(conn, dialect)),
    databases: await readable(async () => (await rows<{ s: string }>(conn, "SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA")).map((r) => r.s)),
    tables: await readable(() => readTables(conn)),
  };
}
