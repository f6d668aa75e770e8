// Our side: one pipeline per run, compiled from a spec the harness writes, run through the
// CLI's `dts run` command in a child node process with a fresh checkpoint folder. With
// exactly-once delivery the spec also names the checkpoint topic the harness made for it.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../scripts/stack/config.js";
import type { BenchStack } from "../lib/stack.js";
import { ManagedChild } from "./child-process.js";
import type { Delivery, RunningSystem, StartRequest, SystemUnderTest } from "./system.js";

export type OurFormat = "dts-avro" | "canal-json";

export const DELIVERIES: readonly Delivery[] = ["at-least-once", "exactly-once"];

/** The delivery modes named by --delivery (at-least-once when it is left out), or why the list is wrong. */
export function chooseDeliveries(list: string | undefined): Delivery[] | string {
  if (list === undefined) return ["at-least-once"];
  const names = [...new Set(list.split(",").map((name) => name.trim()).filter((name) => name !== ""))];
  const unknown = names.find((name) => !DELIVERIES.includes(name as Delivery));
  if (unknown !== undefined) return `unknown delivery "${unknown}"; choose from ${DELIVERIES.join(", ")}`;
  if (names.length === 0) return `--delivery needs at least one of ${DELIVERIES.join(", ")}`;
  return names as Delivery[];
}

function pipelineSpec(stack: BenchStack, format: OurFormat, request: StartRequest, name: string): string {
  const initialSync = request.initialSync
    ? ["  initial_sync {", "    schema = false", "    data   = true", "  }"]
    : ["  initial_sync = false"];
  return [
    `pipeline "${name}" {`,
    `  format       = ${format}`,
    "  partition    = primary-key-hash",
    ...(request.checkpointTopic ? ["  delivery     = exactly-once"] : []),
    ...initialSync,
    "  source mysql {",
    `    host     = "${stack.mysqlHost}"`,
    `    port     = ${stack.mysqlPort}`,
    '    user     = env("MYSQL_USER")',
    '    password = env("MYSQL_PASSWORD")',
    '    timezone = "+00:00"',
    ...(request.initialSync ? [] : ["    start_from = latest"]),
    "  }",
    "  destination kafka {",
    `    brokers = [${stack.kafkaBrokers.map((b) => `"${b}"`).join(", ")}]`,
    `    topic   = "${request.topic}"`,
    "  }",
    "  checkpoint {",
    `    directory = "${join(request.workDir, "state")}"`,
    ...(request.checkpointTopic ? [`    topic     = "${request.checkpointTopic}"`] : []),
    "  }",
    `  database "${request.database}" {`,
    `    table "${request.table}" {}`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * How the child process loads our code: through tsx from src/ (always current), or the
 * binary users run, bin/dts.js, on what `npm run build` wrote to dist/ (no loader in the
 * process being measured).
 */
export type OurEntry = "tsx" | "built";

const BUILT_RUN_COMMAND = join(repoRoot, "dist/src/cli/run.js");
const BINARY = join(repoRoot, "bin/dts.js");

/** DTS_BENCH_NODE_ARGS adds node flags to our child, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it. */
function childArgs(entry: OurEntry, args: string[]): string[] {
  const nodeArgs = (process.env.DTS_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  if (entry === "tsx") return [...nodeArgs, "--import", "tsx", join(repoRoot, "bench/systems/run-pipeline.ts"), ...args];
  return [...nodeArgs, BINARY, "run", ...args];
}

/** "dts-kafka (DTS Avro)" at least once, as before; "dts-kafka (DTS Avro, exactly-once)" beside it. */
function label(format: OurFormat, delivery: Delivery): string {
  return `dts-kafka (${format === "dts-avro" ? "DTS Avro" : "Canal-JSON"}${delivery === "exactly-once" ? ", exactly-once" : ""})`;
}

export function ourSystem(stack: BenchStack, format: OurFormat, entry: OurEntry, delivery: Delivery = "at-least-once"): SystemUnderTest {
  const key = `${format === "dts-avro" ? "avro" : "canal"}${delivery === "exactly-once" ? "_eos" : ""}`;
  return {
    label: label(format, delivery),
    key,
    isPeer: false,
    delivery,
    ...(delivery === "exactly-once" ? { variantOf: label(format, "at-least-once") } : {}),
    unavailable: async () => (entry === "built" && !existsSync(BUILT_RUN_COMMAND) ? `--built needs ${BUILT_RUN_COMMAND}: run \`npm run build\` first` : null),
    async start(request: StartRequest): Promise<RunningSystem> {
      mkdirSync(request.workDir, { recursive: true });
      const specFile = join(request.workDir, "bench.dts");
      writeFileSync(specFile, pipelineSpec(stack, format, request, `bench-${key}`));
      const child = new ManagedChild(
        process.execPath,
        childArgs(entry, ["--log-level", "warn", ...(request.sourceEngine === "blackhole" ? ["--skip-precheck", "table-engines"] : []), specFile]),
        join(request.workDir, "output.log"),
        { ...process.env, MYSQL_USER: stack.replicationUser, MYSQL_PASSWORD: stack.replicationPassword },
        repoRoot,
      );
      request.log(`started dts-kafka ${format} pipeline (pid ${child.pid}), spec ${specFile}`);
      return {
        pid: child.pid,
        alive: () => child.alive(),
        exitReason: () => child.exitReason(),
        // The copy begins as soon as the process starts, so its startup is inside the window.
        prepareInitialSync: async () => undefined,
        startInitialSync: async () => undefined,
        initialSyncExtraMessages: 0,
        stop: () => child.stop(),
      };
    },
  };
}
