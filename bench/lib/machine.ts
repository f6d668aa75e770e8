// The description printed above every result table, so figures are read against the machine.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { MAXWELL_VERSION } from "../peer/maxwell-install.js";

function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return `${result.stdout ?? ""}${result.stderr ?? ""}`.split("\n").find((l) => l.trim() !== "")?.trim() ?? "unknown";
}

export function describeMachine(mariadbVersion: string, kafkaVersion: string): string[] {
  const load = spawnSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).stdout.trim().split(" ").slice(0, 3).join(" ");
  return [
    `- CPU: ${cpus()[0]?.model ?? "unknown"}, nproc ${spawnSync("nproc", [], { encoding: "utf8" }).stdout.trim()}`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Kernel: ${firstLine("uname", ["-sr"])}; load average at start ${load}`,
    `- Node.js ${process.version}; Java: ${firstLine("java", ["-version"])}`,
    `- MariaDB ${mariadbVersion}; Kafka ${kafkaVersion} (local stack, single broker, plaintext)`,
    `- Peer: Maxwell's daemon ${MAXWELL_VERSION} (com.zendesk:maxwell from Maven Central)`,
  ];
}

/** Bytes under `dir` (0 when it is missing), as du counts them. */
function diskBytes(dir: string): number {
  const out = spawnSync("du", ["-sb", dir], { encoding: "utf8" }).stdout ?? "";
  return Number(out.split("\t")[0]) || 0;
}

const GB = 1e9;
/** Past this much Kafka data, runs on this machine measured slower (docs/benchmarks.md, "Cleaning up"). */
const CROWDED_KAFKA_BYTES = 10 * GB;

/**
 * What the stack holds: Kafka's data and partition folders, MariaDB's binlog. A stack that many
 * runs and tests have filled is slower, so results say what they ran on, and `warn` says when
 * it is crowded.
 */
export function describeStackData(stateDir: string, warn: (message: string) => void): string[] {
  const kafkaData = join(stateDir, "kafka", "data");
  const mariadbData = join(stateDir, "mariadb", "data");
  const list = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  const partitions = list(kafkaData).filter((name) => /-\d+$/.test(name)).length;
  const kafkaBytes = diskBytes(kafkaData);
  const binlogBytes = list(mariadbData).filter((name) => /-bin\.\d+$/.test(name)).reduce((sum, name) => sum + statSync(join(mariadbData, name)).size, 0);
  if (kafkaBytes > CROWDED_KAFKA_BYTES) warn(`the stack holds ${(kafkaBytes / GB).toFixed(1)} GB of Kafka data; runs on a crowded stack measured slower, see docs/benchmarks.md "Cleaning up"`);
  return [`- Stack data at start: Kafka ${(kafkaBytes / GB).toFixed(1)} GB in ${partitions} partition folders; MariaDB binlog ${(binlogBytes / GB).toFixed(1)} GB`];
}
