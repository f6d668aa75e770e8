// npm run stack:up | stack:down | stack:status
import { relative } from "node:path";
import { repoRoot } from "./config.js";
import { stackDown, stackStatus, stackUp } from "./stack.js";

const shown = (path: string) => (path.startsWith(repoRoot) ? relative(repoRoot, path) : path);

async function up(): Promise<void> {
  const flags = process.argv.slice(3);
  const unknown = flags.filter((flag) => flag !== "--replica");
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(" ")}; stack:up takes --replica (a second MariaDB replicating from the first by GTID)`);
  const { env, envFile, mariadbVersion, kafkaVersion, replica } = await stackUp({ replica: flags.includes("--replica") });
  const file = shown(envFile);
  console.log(`MariaDB ${mariadbVersion}  ${env.MYSQL_HOST}:${env.MYSQL_PORT}  (binlog ROW/FULL/FULL, GTID, utf8mb4)
  replication user: mariadb -h ${env.MYSQL_HOST} -P ${env.MYSQL_PORT} -u ${env.MYSQL_USER} -p"$MYSQL_PASSWORD"
  root:             mariadb -h ${env.MYSQL_HOST} -P ${env.MYSQL_PORT} -u ${env.MYSQL_ROOT_USER} -p"$MYSQL_ROOT_PASSWORD"
${replica ? `MariaDB replica  ${replica.host}:${replica.port}  (server_id 2, replicating by GTID with log_slave_updates; same accounts)
` : ""}Kafka ${kafkaVersion} (KRaft, one node)
  PLAINTEXT  ${env.KAFKA_BROKERS}
  SASL_SSL   ${env.KAFKA_SASL_BROKERS}  SCRAM-SHA-256 or SCRAM-SHA-512, user ${env.KAFKA_SCRAM_USER}, password $KAFKA_SCRAM_PASSWORD, CA ${shown(env.KAFKA_CA_FILE)}
${env.SCHEMA_REGISTRY_URL ? `Schema registry (Confluent API)  ${env.SCHEMA_REGISTRY_URL}\n` : ""}Connection settings (with passwords) are in ${file}; load them with: . ${file}`);
}

async function down(): Promise<void> {
  const stopped = await stackDown();
  console.log(stopped.length > 0 ? `stopped: ${stopped.join(", ")}` : "nothing was running");
}

function status(): void {
  const statuses = stackStatus();
  for (const s of statuses) {
    const state = s.running ? `running (pid ${s.pid})` : "stopped";
    console.log(`${s.service.padEnd(12)} ${state.padEnd(22)} ${s.endpoint}${s.running && s.logFile ? `  log: ${shown(s.logFile)}` : ""}`);
  }
  process.exitCode = statuses.every((s) => s.running) ? 0 : 3;
}

const commands: Record<string, () => void | Promise<void>> = { up, down, status };
const name = process.argv[2] ?? "";
const command = commands[name];
if (!command) {
  console.error(`usage: tsx scripts/stack/cli.ts up|down|status (got "${name}")`);
  process.exit(2);
}
try {
  await command();
} catch (error) {
  console.error(`stack ${name} failed: ${(error as Error).message}`);
  process.exit(1);
}
