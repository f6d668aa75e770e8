// Each integration suite works in a database of its own, created before its tests and dropped
// after them, so suites and reruns never see each other's rows. Kept apart from
// runtime-helpers.ts because that file is also loaded by runtime child processes, where vitest's
// hooks do not exist.
import type mysql from "mysql2/promise";
import { afterAll, beforeAll } from "vitest";
import { exportStackEnv, rootConnection, uniqueName } from "./runtime-helpers.js";

export interface TestDatabase {
  /** Unique per run: the prefix, then a time and a random part. */
  database: string;
  /** The root connection the suite's tests share; it exists only while they run. */
  db(): mysql.Connection;
}

/**
 * Registers, in the calling describe block (or file), a beforeAll that exports the stack's
 * settings, opens a root connection, creates the database and runs `setup(database)`'s statements
 * in order on that connection, and an afterAll that drops the database and closes the connection.
 * Hooks the caller registers afterwards run after that beforeAll and before that afterAll.
 */
export function useTestDatabase(prefix: string, setup: (database: string) => string[] = () => []): TestDatabase {
  const database = uniqueName(prefix);
  let connection: mysql.Connection | undefined;

  beforeAll(async () => {
    exportStackEnv();
    connection = await rootConnection();
    await connection.query(`CREATE DATABASE \`${database}\``);
    for (const statement of setup(database)) await connection.query(statement);
  });

  afterAll(async () => {
    await connection?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection?.end();
    connection = undefined;
  });

  return {
    database,
    db() {
      if (!connection) {
        throw new Error(`the test database ${database} is open only while the tests of the block that called useTestDatabase("${prefix}") run`);
      }
      return connection;
    },
  };
}
