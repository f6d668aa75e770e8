// What Debezium is told, as pure functions: the Kafka Connect worker's properties, the MariaDB
// connector's config and the logging setup. Each setting is one a production user would choose;
// docs/benchmarks.md ("Debezium") gives the reason for each.

export const DEBEZIUM_CONNECTOR_NAME = "bench-debezium";
/** Debezium names its topics <prefix>.<database>.<table>; the router maps that to the harness's topic. */
export const DEBEZIUM_TOPIC_PREFIX = "bench_debezium";
/** Distinct from Maxwell's (48001) and from the ids our pipelines derive from their names. */
export const DEBEZIUM_SERVER_ID = 48_002;

/** JSON without schemas, or Avro through Apicurio's converter and the registry's own API. */
export type ConverterSettings = { kind: "json" } | { kind: "avro"; registryApiUrl: string };

export interface WorkerSettings {
  bootstrapServers: string;
  offsetsFile: string;
  restPort: number;
  converter: ConverterSettings;
}

export interface ConnectorSettings {
  mysqlHost: string;
  mysqlPort: number;
  user: string;
  password: string;
  database: string;
  table: string;
  /** The harness's topic for this system and workload. */
  topic: string;
  /** Snapshot the table's rows first (the initial-sync workload), else stream from now. */
  initialSync: boolean;
  historyFile: string;
  converter: ConverterSettings["kind"];
}

function properties(settings: Record<string, string | number>): string {
  return `${Object.entries(settings).map(([key, value]) => `${key}=${value}`).join("\n")}\n`;
}

/** The same converter for keys and values, as key.converter.* and value.converter.* settings. */
function converterProperties(converter: ConverterSettings): Record<string, string> {
  const own: Record<string, string> = converter.kind === "json"
    ? { "": "org.apache.kafka.connect.json.JsonConverter", ".schemas.enable": "false" }
    : {
      "": "io.apicurio.registry.utils.converter.AvroConverter",
      ".apicurio.registry.url": converter.registryApiUrl,
      ".apicurio.registry.auto-register": "true",
      ".apicurio.registry.find-latest": "true",
    };
  const result: Record<string, string> = {};
  for (const side of ["key", "value"]) {
    for (const [key, value] of Object.entries(own)) result[`${side}.converter${key}`] = value;
  }
  return result;
}

/** connect-standalone.properties: the converter, offsets in a file, REST on a free local port. */
export function workerProperties(settings: WorkerSettings): string {
  return properties({
    "bootstrap.servers": settings.bootstrapServers,
    ...converterProperties(settings.converter),
    "offset.storage.file.filename": settings.offsetsFile,
    listeners: `http://127.0.0.1:${settings.restPort}`,
    // Every plugin here sits on the class path with a ServiceLoader manifest: skip the scan.
    "plugin.discovery": "service_load",
    // Connect already forces acks=all and one request in flight (ordering without idempotence).
    "producer.linger.ms": 5,
    "producer.batch.size": 262_144,
  });
}

/** A regex matching exactly this text (Debezium's include lists and RegexRouter take regexes). */
export function literalRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The MariaDB connector's config, as POSTed to Connect's REST API. */
export function connectorConfig(settings: ConnectorSettings): Record<string, string> {
  const qualifiedTable = `${settings.database}.${settings.table}`;
  return {
    "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
    "tasks.max": "1",
    "database.hostname": settings.mysqlHost,
    "database.port": String(settings.mysqlPort),
    "database.user": settings.user,
    "database.password": settings.password,
    "database.server.id": String(DEBEZIUM_SERVER_ID),
    "topic.prefix": DEBEZIUM_TOPIC_PREFIX,
    "database.include.list": literalRegex(settings.database),
    "table.include.list": literalRegex(qualifiedTable),
    "snapshot.mode": settings.initialSync ? "initial" : "no_data",
    // Like Maxwell's default (no DDL output); it would also need a topic of its own.
    "include.schema.changes": "false",
    // Without schemas in the message, Debezium's default (bytes) makes DECIMAL unreadable;
    // Avro carries it as its decimal logical type.
    "decimal.handling.mode": settings.converter === "json" ? "string" : "precise",
    "schema.history.internal": "io.debezium.storage.file.history.FileSchemaHistory",
    "schema.history.internal.file.filename": settings.historyFile,
    transforms: "route",
    "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
    "transforms.route.regex": literalRegex(`${DEBEZIUM_TOPIC_PREFIX}.${qualifiedTable}`),
    "transforms.route.replacement": settings.topic,
  };
}

/** Connect's logging to standard output at INFO (the launcher's level), Kafka clients at WARN. */
export function loggingConfig(connectMajor: number): { fileName: string; text: string; jvmFlag: (path: string) => string } {
  if (connectMajor >= 4) {
    return {
      fileName: "connect-log4j2.properties",
      text: properties({
        "appender.stdout.type": "Console",
        "appender.stdout.name": "stdout",
        "appender.stdout.layout.type": "PatternLayout",
        "appender.stdout.layout.pattern": "[%d] %p %m (%c)%n",
        "rootLogger.level": "INFO",
        "rootLogger.appenderRef.stdout.ref": "stdout",
        "logger.clients.name": "org.apache.kafka.clients",
        "logger.clients.level": "WARN",
      }),
      jvmFlag: (path) => `-Dlog4j2.configurationFile=${path}`,
    };
  }
  return {
    fileName: "connect-log4j.properties",
    text: properties({
      "log4j.rootLogger": "INFO, stdout",
      "log4j.appender.stdout": "org.apache.log4j.ConsoleAppender",
      "log4j.appender.stdout.layout": "org.apache.log4j.PatternLayout",
      "log4j.appender.stdout.layout.ConversionPattern": "[%d] %p %m (%c)%n",
      "log4j.logger.org.apache.kafka.clients": "WARN",
    }),
    jvmFlag: (path) => `-Dlog4j.configuration=file:${path}`,
  };
}
