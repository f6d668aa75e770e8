// What the pipeline asks the source before streaming (FORMATS.md §d.1): binlog settings that
// row capture needs, the binlog files still on the server, and where "earliest" is.
import mysql from "mysql2/promise";
import type { ConnectionOptions } from "mysql2";
import { compareBinlogFiles, sameBinlogSeries } from "../checkpoint/binlog-order.js";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import { RuntimeError } from "../errors.js";

export interface BinlogFile {
  name: string;
  size: number;
}

export interface ServerFacts {
  version: string;
  isMariaDb: boolean;
  binlogs: BinlogFile[];
}

async function variable(conn: mysql.Connection, name: string): Promise<string | null> {
  try {
    const [rows] = await conn.query(`SELECT @@GLOBAL.${name} AS v`);
    const value = (rows as { v: unknown }[])[0]?.v;
    return value === null || value === undefined ? null : String(value);
  } catch {
    return null; // not a variable of this server flavour or version
  }
}

export async function connectControl(options: ConnectionOptions, address: string): Promise<mysql.Connection> {
  try {
    return await mysql.createConnection(options);
  } catch (error) {
    const err = error as { code?: string; errno?: number; message?: string };
    const denied = err.errno === 1045;
    throw new RuntimeError("source-connect", `cannot connect to the source at ${address}: ${err.message ?? String(error)}`, {
      cause: error,
      retriable: !denied,
      hint: denied ? "check the user and password of the source block" : "check that the server is running and reachable from here",
    });
  }
}

/** Checks the settings row capture depends on; a wrong one is an error that says what to set. */
export async function inspectServer(conn: mysql.Connection): Promise<ServerFacts> {
  const version = (await variable(conn, "version")) ?? "";
  const isMariaDb = /mariadb/i.test(version);
  const problems: string[] = [];
  const logBin = await variable(conn, "log_bin");
  if (logBin !== "1" && logBin?.toUpperCase() !== "ON") problems.push("log_bin is off (enable binary logging)");
  const format = (await variable(conn, "binlog_format"))?.toUpperCase();
  if (format !== "ROW") problems.push(`binlog_format is ${format ?? "unknown"} (set binlog_format=ROW)`);
  const image = (await variable(conn, "binlog_row_image"))?.toUpperCase();
  if (image !== undefined && image !== "FULL") problems.push(`binlog_row_image is ${image} (set binlog_row_image=FULL)`);
  if (!isMariaDb) {
    const valueOptions = await variable(conn, "binlog_row_value_options");
    if (valueOptions && /PARTIAL_JSON/i.test(valueOptions)) problems.push("binlog_row_value_options is PARTIAL_JSON (set it to '')");
    const compression = await variable(conn, "binlog_transaction_compression");
    if (compression === "1" || compression?.toUpperCase() === "ON") problems.push("binlog_transaction_compression is ON (set it to OFF)");
  }
  if (problems.length > 0) {
    throw new RuntimeError("source-settings", `the source is not set up for row-based change capture: ${problems.join("; ")}`, {
      hint: "change these server variables (my.cnf or SET GLOBAL) and start the pipeline again",
    });
  }
  let binlogs: BinlogFile[];
  try {
    const [rows] = await conn.query("SHOW BINARY LOGS");
    binlogs = (rows as { Log_name: string; File_size: number | string }[]).map((r) => ({ name: r.Log_name, size: Number(r.File_size) }));
  } catch (error) {
    throw new RuntimeError("source-settings", `cannot list the source's binlog files: ${(error as Error).message}`, {
      cause: error,
      hint: "grant the user REPLICATION CLIENT (MySQL) or BINLOG MONITOR (MariaDB)",
    });
  }
  return { version, isMariaDb, binlogs };
}

/** A checkpoint whose binlog file the server no longer has is a hard stop, never a silent skip. */
export function checkPositionAvailable(position: BinlogResumePosition, binlogs: BinlogFile[]): void {
  if (position.file === "") return;
  if (binlogs.some((b) => b.name === position.file)) return;
  const oldest = binlogs[0]?.name ?? "(none)";
  const purged = binlogs.length === 0 || (sameBinlogSeries(position.file, oldest) && compareBinlogFiles(position.file, oldest) < 0);
  throw new RuntimeError(
    "binlog-purged",
    purged
      ? `the checkpoint points at binlog ${position.file}:${position.offset}, older than the oldest binlog the source still has (${oldest}); changes in between are gone`
      : `the checkpoint points at binlog ${position.file}:${position.offset}, which the source does not have (its binlogs are ${oldest} … ${binlogs[binlogs.length - 1]?.name}); was the server reset or replaced?`,
    { hint: "start over: delete the pipeline's state folder and run again with an initial sync (or start_from = earliest/latest if losing the gap is acceptable)" },
  );
}
