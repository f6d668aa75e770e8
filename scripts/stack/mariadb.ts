// MariaDB instances with their own data directory under the state folder: the stack's main
// server, and throwaway ones (other port, other settings) for tests that need a server
// configured differently.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { stackConfig } from "./config.js";
import { ensureMariadbInstalled } from "./mariadb-install.js";
import { isAlive, portInUse, progress, readPid, runQuiet, runningPid, startDaemon, stopDaemon, waitUntil } from "./processes.js";
import { loadSecrets } from "./secrets.js";

export const REPLICATION_USER = "dts";
/** Exactly what the precheck requires. MariaDB 10.11 shows REPLICATION CLIENT as BINLOG MONITOR. */
export const REPLICATION_PRIVILEGES = ["REPLICATION SLAVE", "BINLOG MONITOR", "SELECT", "SHOW VIEW"] as const;

export interface MariadbInstanceOptions {
  /** "main" is the stack's server; any other name gets its own folder `mariadb-<name>`. */
  name: string;
  port: number;
  /** Appended after the stack's defaults, so they override them (e.g. `--binlog-format=STATEMENT`). */
  extraArgs?: string[];
  /** Privileges of the replication user; defaults to REPLICATION_PRIVILEGES. */
  replicationPrivileges?: readonly string[];
  /** Wipes the data directory first (stopping a running server of that name). */
  fresh?: boolean;
  /**
   * Takes the passwords of another instance ("main" for the stack's server): a replica gets its
   * accounts, passwords included, by replicating its primary's statements.
   */
  secretsOf?: string;
}

export interface MariadbInstance {
  name: string;
  /** As the server reports it, e.g. 10.11.19-MariaDB-0+deb12u1-log */
  version: string;
  host: string;
  port: number;
  socket: string;
  dataDir: string;
  logFile: string;
  pid: number;
  rootUser: string;
  rootPassword: string;
  user: string;
  password: string;
  /** Stops the server, keeping its data. */
  stop(): Promise<void>;
  /** Stops the server and deletes its folder. */
  destroy(): Promise<void>;
}

interface InstancePaths {
  dir: string;
  dataDir: string;
  socket: string;
  daemonPid: string;
  serverPid: string;
  logFile: string;
  argsFile: string;
  secretsFile: string;
  provisionedMarker: string;
}

function instancePaths(name: string): InstancePaths {
  const dir = join(stackConfig().stateDir, name === "main" ? "mariadb" : `mariadb-${name}`);
  return {
    dir,
    dataDir: join(dir, "data"),
    socket: join(dir, "mariadb.sock"),
    daemonPid: join(dir, "daemon.pid"),
    serverPid: join(dir, "server.pid"),
    logFile: join(dir, "error.log"),
    argsFile: join(dir, "args.json"),
    secretsFile: join(dir, "secrets.json"),
    provisionedMarker: join(dir, "data", ".dts-provisioned"),
  };
}

function serverArgs(paths: InstancePaths, port: number, extraArgs: string[]): string[] {
  return [
    "--no-defaults",
    `--user=${userInfo().username}`,
    `--datadir=${paths.dataDir}`,
    "--bind-address=127.0.0.1",
    `--port=${port}`,
    `--socket=${paths.socket}`,
    `--pid-file=${paths.serverPid}`,
    `--log-error=${paths.logFile}`,
    "--skip-name-resolve",
    "--max-connections=500",
    "--log-bin=mariadb-bin",
    "--binlog-format=ROW",
    "--binlog-row-image=FULL",
    "--binlog-row-metadata=FULL",
    "--binlog-expire-logs-seconds=86400",
    "--server-id=1",
    "--gtid-strict-mode=ON",
    "--log-slave-updates=ON",
    // --no-defaults leaves the server at latin1; the product must see utf8mb4 like production.
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_unicode_ci",
    // Sized like a production server's, to hold what is read: the benchmark's 1M-row table is
    // 315 MB, and with MariaDB's default of 128 MiB every system's copy of it read the disk.
    "--innodb-buffer-pool-size=1G",
    ...extraArgs,
  ];
}

const LOCAL_HOSTS = ["localhost", "127.0.0.1", "::1"];

/** Root over the socket: with the stack's password, or with none on a data dir not yet provisioned. */
async function connectAsRoot(paths: InstancePaths, password: string): Promise<mysql.Connection> {
  const connect = (pw: string) => mysql.createConnection({ socketPath: paths.socket, user: "root", password: pw, connectTimeout: 2000 });
  try {
    return await connect(password);
  } catch (error) {
    const denied = (error as { code?: string }).code === "ER_ACCESS_DENIED_ERROR";
    if (!denied || existsSync(paths.provisionedMarker)) throw error;
    return connect("");
  }
}

/** Sets the root password, removes anonymous accounts and gives the replication user exactly its privileges. */
async function provision(paths: InstancePaths, secrets: { root: string; replication: string }, privileges: readonly string[]): Promise<void> {
  const db = await connectAsRoot(paths, secrets.root);
  try {
    // Not binlogged: the accounts are the stack's business, not changes for pipelines or replicas.
    await db.query("SET SESSION sql_log_bin = 0");
    const [accounts] = await db.query<mysql.RowDataPacket[]>("SELECT User AS user, Host AS host FROM mysql.user WHERE User IN ('', 'root')");
    for (const { user, host } of accounts) {
      // Host-name accounts are dead under --skip-name-resolve; anonymous ones shadow real users.
      if (user === "" || !LOCAL_HOSTS.includes(host)) await db.query("DROP USER ?@?", [user, host]);
      else await db.query("ALTER USER ?@? IDENTIFIED BY ?", [user, host, secrets.root]);
    }
    // TCP clients arrive as 127.0.0.1 (names are not resolved); give root that host too.
    await db.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ?", [secrets.root]);
    await db.query("ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY ?", [secrets.root]);
    await db.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
    await db.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [REPLICATION_USER, secrets.replication]);
    await db.query("ALTER USER ?@'%' IDENTIFIED BY ?", [REPLICATION_USER, secrets.replication]);
    await db.query("REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@'%'", [REPLICATION_USER]);
    if (privileges.length > 0) await db.query(`GRANT ${privileges.join(", ")} ON *.* TO ?@'%'`, [REPLICATION_USER]);
    await db.query("FLUSH PRIVILEGES");
  } catch (error) {
    // mysql2 errors carry the statement text, which holds passwords: keep only the message.
    throw new Error(`could not set up the accounts of MariaDB in ${paths.dataDir}: ${(error as Error).message}`);
  } finally {
    await db.end();
  }
  writeFileSync(paths.provisionedMarker, "root password set\n");
}

async function initializeDataDir(paths: InstancePaths, installDb: string): Promise<void> {
  progress(`creating MariaDB data directory ${paths.dataDir}`);
  mkdirSync(paths.dataDir, { recursive: true });
  await runQuiet(installDb, [
    "--no-defaults",
    `--user=${userInfo().username}`,
    `--datadir=${paths.dataDir}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
  ]);
}

function sameArgs(paths: InstancePaths, args: string[]): boolean {
  return existsSync(paths.argsFile) && readFileSync(paths.argsFile, "utf8") === JSON.stringify(args);
}

export async function startMariadbInstance(options: MariadbInstanceOptions): Promise<MariadbInstance> {
  const paths = instancePaths(options.name);
  const host = stackConfig().host;
  const args = serverArgs(paths, options.port, options.extraArgs ?? []);
  const privileges = options.replicationPrivileges ?? REPLICATION_PRIVILEGES;

  if (options.fresh) await destroyMariadbInstance(options.name);
  let pid = runningPid(paths.daemonPid);
  if (pid !== null && !sameArgs(paths, args)) {
    progress(`MariaDB "${options.name}" runs with other settings; restarting it`);
    await stopDaemon(paths.daemonPid, `MariaDB "${options.name}"`);
    pid = null;
  }
  if (pid === null) {
    const programs = await ensureMariadbInstalled();
    if (await portInUse(host, options.port)) {
      throw new Error(`port ${host}:${options.port} is taken by a process this stack did not start; stop it or choose another port (DTS_STACK_MYSQL_PORT for the main server)`);
    }
    if (!existsSync(join(paths.dataDir, "mysql"))) await initializeDataDir(paths, programs.installDb);
    rmSync(paths.socket, { force: true });
    writeFileSync(paths.argsFile, JSON.stringify(args));
    pid = startDaemon(programs.server, args, paths.daemonPid, paths.logFile);
    progress(`started MariaDB "${options.name}" (pid ${pid}) on ${host}:${options.port}`);
  }

  const secrets = loadSecrets(options.secretsOf ? instancePaths(options.secretsOf).secretsFile : paths.secretsFile, ["root", "replication"] as const);
  await waitUntil(`MariaDB "${options.name}"`, async () => (await connectAsRoot(paths, secrets.root)).end(), {
    timeoutMs: 60_000, pid, logFile: paths.logFile,
  });
  await provision(paths, secrets, privileges);
  const version = await probeTcp(host, options.port, REPLICATION_USER, secrets.replication);

  return {
    name: options.name, version, host, port: options.port, socket: paths.socket, dataDir: paths.dataDir, logFile: paths.logFile, pid,
    rootUser: "root", rootPassword: secrets.root, user: REPLICATION_USER, password: secrets.replication,
    stop: async () => void (await stopMariadbInstance(options.name)),
    destroy: () => destroyMariadbInstance(options.name),
  };
}

/** Connects as the replication user over TCP, the way clients will, and returns the server version. */
async function probeTcp(host: string, port: number, user: string, password: string): Promise<string> {
  const db = await mysql.createConnection({ host, port, user, password, connectTimeout: 5000 });
  try {
    const [rows] = await db.query<mysql.RowDataPacket[]>("SELECT VERSION() AS version");
    return String(rows[0]?.version);
  } finally {
    await db.end();
  }
}

export async function stopMariadbInstance(name: string): Promise<boolean> {
  const paths = instancePaths(name);
  // A clean shutdown can take a while when InnoDB has much to flush; never SIGKILL early.
  return stopDaemon(paths.daemonPid, `MariaDB "${name}"`, 120_000);
}

export async function destroyMariadbInstance(name: string): Promise<void> {
  await stopMariadbInstance(name);
  rmSync(instancePaths(name).dir, { recursive: true, force: true });
}

export interface MariadbStatus {
  running: boolean;
  pid: number | null;
  /** The port it was last started on, when it was started at all. */
  port: number | null;
  dataDir: string;
  logFile: string;
}

export function mariadbStatus(name = "main"): MariadbStatus {
  const paths = instancePaths(name);
  const pid = readPid(paths.daemonPid);
  const running = pid !== null && isAlive(pid);
  const args: string[] = existsSync(paths.argsFile) ? JSON.parse(readFileSync(paths.argsFile, "utf8")) : [];
  const portArg = args.find((arg) => arg.startsWith("--port="));
  const port = portArg ? Number(portArg.slice("--port=".length)) : null;
  return { running, pid: running ? pid : null, port, dataDir: paths.dataDir, logFile: paths.logFile };
}

export function startMariadb(): Promise<MariadbInstance> {
  return startMariadbInstance({ name: "main", port: stackConfig().mysqlPort });
}

export function stopMariadb(): Promise<boolean> {
  return stopMariadbInstance("main");
}

