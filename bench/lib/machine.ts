// The description printed above every result table, so figures are read against the machine.
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
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
