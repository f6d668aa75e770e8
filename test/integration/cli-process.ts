// Runs the `dts` CLI in its own process, as a user would, and collects what it prints.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./runtime-helpers.js";

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  finished: Promise<Finished>;
  /** What it printed on stderr so far. */
  stderr(): string;
}

export function dts(args: string[], env: NodeJS.ProcessEnv = process.env): CliProcess {
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "src/cli/main.ts"), ...args], { cwd: repoRoot, env });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
  return { child, finished, stderr: () => stderr };
}

/** A spec for one table of the stack's MariaDB, streaming from now into `topic`. */
export function streamingSpec(options: { name: string; format: string; database: string; table: string; topic: string; stateDir: string; extra?: string; tableBody?: string }): string {
  return `pipeline "${options.name}" {
  format       = ${options.format}
  partition    = primary-key-hash
  initial_sync = false
${options.extra ?? ""}
  source mysql {
    host      = env("MYSQL_HOST")
    port      = env("MYSQL_PORT")
    user      = env("MYSQL_USER")
    password  = env("MYSQL_PASSWORD")
    server_id = ${20000 + Math.floor(Math.random() * 10000)}
    timezone  = "+00:00"
  }

  destination kafka {
    brokers = ["${process.env.KAFKA_BROKERS}"]
    topic   = "${options.topic}"

    create_topics {
      partitions = 2
    }
  }

  checkpoint {
    directory = "${options.stateDir}"
  }

  database "${options.database}" {
    table "${options.table}" {${options.tableBody ?? ""}}
  }
}
`;
}
