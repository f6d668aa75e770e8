// A MariaDB replica of another instance of the stack, set up the way operators build one: a
// consistent logical copy of the primary's databases taken at a GTID position, then replication
// by GTID from that position (MASTER_USE_GTID = slave_pos), with the primary's binlog settings
// and log_slave_updates, so a pipeline can move to it and resume by GTID. `stack:up --replica`
// makes one of the main server; tests make one of a throwaway server.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import mysql from "mysql2/promise";
import { startMariadbInstance, type MariadbInstance } from "./mariadb.js";
import { progress } from "./processes.js";

export interface ReplicaOptions {
  name: string;
  port: number;
  primary: MariadbInstance;
  /** Unique in the topology; the stack's main server is 1. */
  serverId: number;
  fresh?: boolean;
}

/** Starts the replica, or reuses it when it already replicates from `primary`. */
export async function startMariadbReplica(options: ReplicaOptions): Promise<MariadbInstance> {
  const { primary } = options;
  const replica = await startMariadbInstance({
    name: options.name,
    port: options.port,
    fresh: options.fresh,
    secretsOf: primary.name,
    // Accounts are each server's own (the stack provisions both); everything else replicates.
    extraArgs: [`--server-id=${options.serverId}`, "--replicate-wild-ignore-table=mysql.%", `--report-port=${options.port}`],
  });
  const db = await rootConnection(replica);
  try {
    if (await replicatesFrom(db, primary)) return replica;
    progress(`copying the databases of MariaDB "${primary.name}" to its replica "${replica.name}"`);
    await db.query("STOP SLAVE");
    await db.query("RESET SLAVE ALL");
    await db.query("RESET MASTER");
    await copyDatabases(primary, replica, db);
    await db.query("CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_USE_GTID = slave_pos", [primary.host, primary.port, primary.user, primary.password]);
    await db.query("START SLAVE");
    await waitUntilCaughtUp(db, primary);
    progress(`MariaDB "${replica.name}" replicates from "${primary.name}" by GTID`);
    return replica;
  } finally {
    await db.end();
  }
}

function rootConnection(server: MariadbInstance): Promise<mysql.Connection> {
  return mysql.createConnection({ socketPath: server.socket, user: server.rootUser, password: server.rootPassword });
}

async function replicatesFrom(db: mysql.Connection, primary: MariadbInstance): Promise<boolean> {
  const [rows] = await db.query<mysql.RowDataPacket[]>("SHOW SLAVE STATUS");
  const status = rows[0];
  return status !== undefined && Number(status.Master_Port) === primary.port && status.Slave_SQL_Running === "Yes" && status.Using_Gtid === "Slave_Pos";
}

/** The primary's own databases, dumped in one transaction with the GTID position they hold, into the replica, unlogged there. */
async function copyDatabases(primary: MariadbInstance, replica: MariadbInstance, db: mysql.Connection): Promise<void> {
  const source = await rootConnection(primary);
  let databases: string[];
  try {
    const [rows] = await source.query<mysql.RowDataPacket[]>("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')");
    databases = rows.map((r) => String(r.name));
    if (databases.length === 0) {
      // Nothing to copy: replicate from where the primary is now.
      const [[now]] = await source.query<mysql.RowDataPacket[]>("SELECT @@gtid_binlog_pos AS pos");
      await db.query("SET GLOBAL gtid_slave_pos = ?", [String(now?.pos ?? "")]);
      return;
    }
  } finally {
    await source.end();
  }
  // --master-data with --gtid ends the dump with SET GLOBAL gtid_slave_pos at the copy's position.
  const dumpArgs = ["--no-defaults", `--socket=${primary.socket}`, "-uroot", "--single-transaction", "--gtid", "--master-data=1", "--routines", "--events", "--triggers", "--databases", ...databases];
  const loadArgs = ["--no-defaults", `--socket=${replica.socket}`, "-uroot", "--init-command=SET SESSION sql_log_bin = 0"];
  await pipeCommands(["mariadb-dump", dumpArgs, primary.rootPassword], ["mariadb", loadArgs, replica.rootPassword]);
}

type Command = [program: string, args: string[], password: string];

/**
 * Runs `from | to`. The passwords go through the environment, never the command line; nothing
 * else of ours does: the clients would take MYSQL_HOST or MYSQL_TCP_PORT from a loaded
 * `.stack/env` over --socket and reach another server.
 */
function pipeCommands(from: Command, to: Command): Promise<void> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/" };
  const run = ([program, args, password]: Command, stdin: "ignore" | "pipe") =>
    spawn(program, [...args.slice(0, 1), "--protocol=SOCKET", ...args.slice(1)], { env: { ...env, MYSQL_PWD: password }, stdio: [stdin, "pipe", "pipe"] }) as ChildProcessWithoutNullStreams;
  const writer = run(from, "ignore");
  const reader = run(to, "pipe");
  // A loader that fails closes its input; its exit code tells why, not the broken pipe.
  reader.stdin.on("error", () => undefined);
  writer.stdout.pipe(reader.stdin);
  const finished = (child: ReturnType<typeof run>, program: string) =>
    new Promise<void>((resolve, reject) => {
      let errors = "";
      child.stderr.on("data", (chunk) => (errors += chunk));
      child.once("error", (error) => reject(new Error(`could not run ${program}: ${error.message}`)));
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${program} failed with exit code ${code}: ${errors.trim()}`))));
    });
  return Promise.all([finished(writer, from[0]), finished(reader, to[0])]).then(() => undefined);
}

async function waitUntilCaughtUp(db: mysql.Connection, primary: MariadbInstance): Promise<void> {
  const source = await rootConnection(primary);
  try {
    const [[position]] = await source.query<mysql.RowDataPacket[]>("SELECT @@gtid_binlog_pos AS pos");
    const [[waited]] = await db.query<mysql.RowDataPacket[]>("SELECT MASTER_GTID_WAIT(?, 120) AS result", [String(position?.pos ?? "")]);
    if (Number(waited?.result) !== 0) {
      const [[status]] = await db.query<mysql.RowDataPacket[]>("SHOW SLAVE STATUS");
      throw new Error(`the replica did not catch up with its primary within 120 s: ${status?.Last_SQL_Error || status?.Last_IO_Error || "no error reported"}`);
    }
  } finally {
    await source.end();
  }
}
