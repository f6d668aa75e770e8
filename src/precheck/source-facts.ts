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
  hasUniqueKey: boolean;
  /** Foreign keys of this (child) table whose ON DELETE / ON UPDATE change its rows, described. */
  cascades: string[];
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

async function readTables(conn: mysql.Connection): Promise<TableFacts[]> {
  const tables = await rows<{ s: string; t: string; engine: string | null; type: string }>(
    conn,
    "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, ENGINE AS engine, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN (?)",
    [systemSchemas],
  );
  const keys = await rows<{ s: string; t: string; kind: string }>(
    conn,
    "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, CONSTRAINT_TYPE AS kind FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE') AND TABLE_SCHEMA NOT IN (?)",
    [systemSchemas],
  );
  const cascades = await rows<{ s: string; t: string; name: string; parent: string; onDelete: string; onUpdate: string }>(
    conn,
    `SELECT CONSTRAINT_SCHEMA AS s, TABLE_NAME AS t, CONSTRAINT_NAME AS name, REFERENCED_TABLE_NAME AS parent, DELETE_RULE AS onDelete, UPDATE_RULE AS onUpdate
       FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA NOT IN (?)`,
    [systemSchemas],
  );
  const cascadesOf = new Map<string, string[]>();
  for (const c of cascades) {
    const rules = [["DELETE", c.onDelete], ["UPDATE", c.onUpdate]].filter(([, rule]) => CHANGING_RULES.has(String(rule).toUpperCase())).map(([when, rule]) => `ON ${when} ${rule}`);
    if (rules.length === 0) continue;
    const id = `${c.s}\u0000${c.t}`;
    cascadesOf.set(id, [...(cascadesOf.get(id) ?? []), `${c.name} (${rules.join(", ")} from ${c.parent})`]);
  }
  const keyKinds = new Map<string, Set<string>>();
  for (const k of keys) {
    const id = `${k.s}\u0000${k.t}`;
    keyKinds.set(id, (keyKinds.get(id) ?? new Set()).add(k.kind));
  }
  return tables.map((t) => {
    const kinds = keyKinds.get(`${t.s}\u0000${t.t}`);
    return {
      database: t.s,
      table: t.t,
      engine: t.engine,
      isView: t.type === "VIEW",
      isSequence: t.type === "SEQUENCE",
      systemVersioned: t.type === SYSTEM_VERSIONED,
      hasPrimaryKey: kinds?.has("PRIMARY KEY") ?? false,
      hasUniqueKey: kinds?.has("UNIQUE") ?? false,
      cascades: cascadesOf.get(`${t.s}\u0000${t.t}`) ?? [],
    };
  });
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
