// Stopping and starting one service of a running stack, for tests that simulate outages.
// `.stack/env` stays valid: restarts reuse the same data, ports and credentials.
import { startKafka, stopKafka } from "./kafka.js";
import { startMariadb, stopMariadb } from "./mariadb.js";

export type Service = "kafka" | "mariadb";

export async function stop(service: Service): Promise<void> {
  if (service === "kafka") await stopKafka();
  else await stopMariadb();
}

export async function start(service: Service): Promise<void> {
  if (service === "kafka") await startKafka();
  else await startMariadb();
}

export { startKafka, stopKafka, startMariadb, stopMariadb };
export { startMariadbInstance, destroyMariadbInstance, stopMariadbInstance, REPLICATION_PRIVILEGES, REPLICATION_USER } from "./mariadb.js";
export type { MariadbInstance, MariadbInstanceOptions } from "./mariadb.js";
