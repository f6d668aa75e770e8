// One Kafka node in KRaft mode (combined controller and broker) run from the Maven-resolved
// jars: PLAINTEXT for simple clients, SASL_SSL with SCRAM so TLS and authentication are tested
// for real, and the controller listener on its own port.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import kafkajs from "kafkajs";
import { stackConfig, type StackConfig } from "./config.js";
import { ensureKafkaInstalled, kafkaVersion, recordKafkaVersion, type KafkaInstallation } from "./kafka-install.js";
import { isAlive, javaBinary, portInUse, progress, readPid, runQuiet, runningPid, startDaemon, stopDaemon, waitUntil } from "./processes.js";
import { loadSecrets } from "./secrets.js";
import { ensureBrokerTls, type BrokerTls } from "./tls.js";

const { Kafka, logLevel } = kafkajs;

export const SCRAM_USER = "dts";
export const SCRAM_MECHANISMS = ["SCRAM-SHA-256", "SCRAM-SHA-512"] as const;

export interface KafkaNode {
  pid: number;
  brokers: string;
  saslBrokers: string;
  scramUser: string;
  scramPassword: string;
  caFile: string;
  logFile: string;
  version: string;
}

function kafkaPaths(config: StackConfig) {
  const dir = join(config.stateDir, "kafka");
  return {
    dir,
    dataDir: join(dir, "data"),
    logsDir: join(dir, "logs"),
    logFile: join(dir, "logs", "server.log"),
    stdoutFile: join(dir, "logs", "stdout.log"),
    properties: join(dir, "server.properties"),
    log4j: join(dir, "log4j.properties"),
    log4j2: join(dir, "log4j2.properties"),
    daemonPid: join(dir, "daemon.pid"),
    secretsFile: join(dir, "secrets.json"),
  };
}
type KafkaPaths = ReturnType<typeof kafkaPaths>;

function serverProperties(config: StackConfig, paths: KafkaPaths, tls: BrokerTls): string {
  const h = config.host;
  const jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
  const settings: Record<string, string | number | boolean> = {
    "process.roles": "broker,controller",
    "node.id": 1,
    "controller.quorum.voters": `1@${h}:${config.kafkaControllerPort}`,
    "listeners": `PLAINTEXT://${h}:${config.kafkaPort},SASL_SSL://${h}:${config.kafkaSaslPort},CONTROLLER://${h}:${config.kafkaControllerPort}`,
    "advertised.listeners": `PLAINTEXT://${h}:${config.kafkaPort},SASL_SSL://${h}:${config.kafkaSaslPort}`,
    "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "sasl.enabled.mechanisms": SCRAM_MECHANISMS.join(","),
    "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config": jaas,
    "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": jaas,
    "listener.name.sasl_ssl.ssl.keystore.type": "PKCS12",
    "listener.name.sasl_ssl.ssl.keystore.location": tls.keystoreFile,
    "listener.name.sasl_ssl.ssl.keystore.password": tls.keystorePassword,
    "listener.name.sasl_ssl.ssl.key.password": tls.keystorePassword,
    "log.dirs": paths.dataDir,
    // The product decides whether topics are created; the broker must not do it behind its back.
    "auto.create.topics.enable": false,
    "num.partitions": 1,
    "default.replication.factor": 1,
    "min.insync.replicas": 1,
    "offsets.topic.replication.factor": 1,
    "offsets.topic.num.partitions": 10,
    "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1,
    "transaction.state.log.num.partitions": 10,
    // Consumers in tests join alone; waiting for more members only slows them down.
    "group.initial.rebalance.delay.ms": 0,
    "log.retention.hours": 24,
  };
  return `${Object.entries(settings).map(([key, value]) => `${key}=${value}`).join("\n")}\n`;
}

function log4jProperties(paths: KafkaPaths): string {
  return [
    "log4j.rootLogger=INFO, file",
    "log4j.appender.file=org.apache.log4j.RollingFileAppender",
    `log4j.appender.file.File=${paths.logFile}`,
    "log4j.appender.file.MaxFileSize=50MB",
    "log4j.appender.file.MaxBackupIndex=2",
    "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
    "log4j.logger.org.apache.kafka.clients=WARN",
    "",
  ].join("\n");
}

/** Kafka 4 logs through log4j2, which reads its own format; the same file, rotation and levels. */
function log4j2Properties(paths: KafkaPaths): string {
  return [
    "appender.file.type=RollingFile",
    "appender.file.name=file",
    `appender.file.fileName=${paths.logFile}`,
    `appender.file.filePattern=${paths.logFile}.%i`,
    "appender.file.layout.type=PatternLayout",
    "appender.file.layout.pattern=[%d] %p %m (%c)%n",
    "appender.file.policies.type=Policies",
    "appender.file.policies.size.type=SizeBasedTriggeringPolicy",
    "appender.file.policies.size.size=50MB",
    "appender.file.strategy.type=DefaultRolloverStrategy",
    "appender.file.strategy.max=2",
    "rootLogger.level=INFO",
    "rootLogger.appenderRef.file.ref=file",
    "logger.clients.name=org.apache.kafka.clients",
    "logger.clients.level=WARN",
    "",
  ].join("\n");
}

/** Writes the logging configuration the release reads and returns the JVM flag naming it. */
function writeLoggingConfig(installation: KafkaInstallation, paths: KafkaPaths): string {
  if (installation.major >= 4) {
    writeFileSync(paths.log4j2, log4j2Properties(paths));
    return `-Dlog4j2.configurationFile=${paths.log4j2}`;
  }
  writeFileSync(paths.log4j, log4jProperties(paths));
  return `-Dlog4j.configuration=file:${paths.log4j}`;
}

/**
 * Kafka's Uuid text form: 16 random bytes, URL-safe base64 without padding. Like Kafka's own
 * Uuid.randomUuid, ids starting with '-' are drawn again: the storage tool would read one as an
 * option and fail ("argument --cluster-id/-t: expected one argument"), about one start in 64.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

async function formatStorage(installation: KafkaInstallation, paths: KafkaPaths, scramPassword: string): Promise<void> {
  progress(`formatting Kafka storage in ${paths.dataDir} with SCRAM users`);
  const scram = SCRAM_MECHANISMS.flatMap((m) => ["--add-scram", `${m}=[name=${SCRAM_USER},password=${scramPassword}]`]);
  try {
    await runQuiet(javaBinary(), ["-cp", installation.classPath, "kafka.tools.StorageTool", "format", "-t", newClusterId(), "-c", paths.properties, ...scram]);
  } catch (error) {
    // The tool echoes its arguments on some failures; never pass the SCRAM password on.
    throw new Error(`could not format Kafka storage in ${paths.dataDir}: ${(error as Error).message.replaceAll(scramPassword, "***")}`);
  }
}

function kafkaClient(brokers: string, sasl?: { mechanism: "scram-sha-256" | "scram-sha-512"; username: string; password: string; caFile: string }) {
  return new Kafka({
    clientId: "dts-stack-probe",
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 0 },
    ...(sasl
      ? { ssl: { ca: [readFileSync(sasl.caFile, "utf8")] }, sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as kafkajs.SASLOptions }
      : {}),
  });
}

async function describeCluster(kafka: InstanceType<typeof Kafka>): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

export async function startKafka(): Promise<KafkaNode> {
  const config = stackConfig();
  const paths = kafkaPaths(config);
  const secrets = loadSecrets(paths.secretsFile, ["scram", "keystore"] as const);
  const tls = await ensureBrokerTls(config.stateDir, secrets.keystore);
  const installation = await ensureKafkaInstalled(config.cacheDir, kafkaVersion(paths.dir));

  let pid = runningPid(paths.daemonPid);
  if (pid === null) {
    for (const port of [config.kafkaPort, config.kafkaSaslPort, config.kafkaControllerPort]) {
      if (await portInUse(config.host, port)) {
        throw new Error(`port ${config.host}:${port} is taken by a process this stack did not start; stop it or move Kafka with DTS_STACK_KAFKA_PORT, DTS_STACK_KAFKA_SASL_PORT and DTS_STACK_KAFKA_CONTROLLER_PORT`);
      }
    }
    mkdirSync(paths.logsDir, { recursive: true });
    writeFileSync(paths.properties, serverProperties(config, paths, tls), { mode: 0o600 });
    const logging = writeLoggingConfig(installation, paths);
    if (!existsSync(join(paths.dataDir, "meta.properties"))) {
      await formatStorage(installation, paths, secrets.scram);
      recordKafkaVersion(paths.dir, installation.version);
    }
    pid = startDaemon(javaBinary(), [
      "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
      logging, `-Dkafka.logs.dir=${paths.logsDir}`,
      "-cp", installation.classPath, "kafka.Kafka", paths.properties,
    ], paths.daemonPid, paths.stdoutFile);
    progress(`started Kafka ${installation.version} (pid ${pid}); log in ${paths.logFile}`);
  }

  const node: KafkaNode = {
    pid,
    brokers: `${config.host}:${config.kafkaPort}`,
    saslBrokers: `${config.host}:${config.kafkaSaslPort}`,
    scramUser: SCRAM_USER,
    scramPassword: secrets.scram,
    caFile: tls.caFile,
    logFile: paths.logFile,
    version: installation.version,
  };
  const probe = async () => {
    await describeCluster(kafkaClient(node.brokers));
    await describeCluster(kafkaClient(node.saslBrokers, { mechanism: "scram-sha-256", username: node.scramUser, password: node.scramPassword, caFile: node.caFile }));
  };
  await waitUntil("Kafka", probe, { timeoutMs: 120_000, pid, logFile: paths.logFile });
  return node;
}

export function stopKafka(): Promise<boolean> {
  return stopDaemon(kafkaPaths(stackConfig()).daemonPid, "Kafka", 60_000);
}

export function kafkaStatus(): { running: boolean; pid: number | null; logFile: string; version: string } {
  const paths = kafkaPaths(stackConfig());
  const pid = readPid(paths.daemonPid);
  const running = pid !== null && isAlive(pid);
  return { running, pid: running ? pid : null, logFile: paths.logFile, version: kafkaVersion(paths.dir) };
}
