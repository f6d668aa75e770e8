// A MariaDB server of a suite's own, started fresh before its tests and destroyed after them, for
// server settings the stack's shared server must not take (or statements that would disturb the
// other suites' pipelines). Kept apart from runtime-helpers.ts, like test-database.ts, because it
// registers vitest hooks.
import mysql from "mysql2/promise";
import { afterAll, beforeAll } from "vitest";
import { startMariadbInstance, type MariadbInstance } from "../../scripts/stack/control.js";
import type { ExecutionPlan, Pipeline } from "../../src/generated/plan.js";
import { exportStackEnv, freePort } from "./runtime-helpers.js";

export interface ThrowawayMariadb {
  /** A root connection (multiple statements allowed) to the server, open while the tests run. */
  db(): mysql.Connection;
  /** Points the plan's first pipeline's source at the server, its account through env refs, and returns that pipeline. */
  useAsSource(plan: ExecutionPlan): Pipeline;
  /** The server process, e.g. to freeze it with SIGSTOP. */
  pid(): number;
}

/**
 * Registers, in the calling describe block, a beforeAll that exports the stack's settings, starts
 * a fresh server `<name>-<pid>` on a free port with `extraArgs`, exports its replication account
 * as DTS_<envPrefix>_USER and DTS_<envPrefix>_PASSWORD, opens a root connection and runs `setup`
 * on it, and an afterAll that closes the connection and destroys the server.
 */
export function useThrowawayMariadb(options: { name: string; envPrefix: string; extraArgs?: string[]; setup: string }): ThrowawayMariadb {
  const userEnv = `DTS_${options.envPrefix}_USER`;
  const passwordEnv = `DTS_${options.envPrefix}_PASSWORD`;
  let server: MariadbInstance | undefined;
  let db: mysql.Connection | undefined;

  beforeAll(async () => {
    exportStackEnv();
    server = await startMariadbInstance({ name: `${options.name}-${process.pid}`, port: await freePort(), extraArgs: options.extraArgs, fresh: true });
    process.env[userEnv] = server.user;
    process.env[passwordEnv] = server.password;
    db = await mysql.createConnection({ host: server.host, port: server.port, user: server.rootUser, password: server.rootPassword, multipleStatements: true });
    await db.query(options.setup);
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await server?.destroy();
  });

  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the throwaway MariaDB "${options.name}" exists only while the tests of the block that called useThrowawayMariadb run`);
    return value;
  };

  return {
    db: () => opened(db),
    pid: () => opened(server).pid,
    useAsSource(plan) {
      const { host, port } = opened(server);
      const pipeline = plan.pipelines[0] as Pipeline;
      pipeline.source = { ...pipeline.source, host, port, user: { env: userEnv }, password: { env: passwordEnv } };
      return pipeline;
    },
  };
}
