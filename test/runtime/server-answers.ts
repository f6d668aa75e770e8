// Recorded answers of source servers to the replication statements dts-kafka may send. MariaDB
// 10.11 is the stack's server (answers taken from it); the MySQL answers follow the examples
// and statement pages of MySQL's reference manuals for 5.7, 8.0, 8.4 and 9.x (MySQL cannot be
// installed here). A statement a release does not have fails as MySQL fails it: ER_PARSE_ERROR.

export interface RecordedServer {
  name: string;
  version: string;
  /** Every statement this server was sent, in order. */
  sent: string[];
  query(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
}

const status = { File: "binlog.000007", Position: "1557", Binlog_Do_DB: "", Binlog_Ignore_DB: "", Executed_Gtid_Set: "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23" };
const binaryLogs = [
  { Log_name: "binlog.000006", File_size: "2048", Encrypted: "No" },
  { Log_name: "binlog.000007", File_size: "1557", Encrypted: "No" },
];
/** SHOW SLAVE HOSTS before MySQL 8.0.22 (and still in 8.0 as a deprecated synonym). */
const slaveHosts = [{ Server_id: 10, Host: "iconnect2", Port: 3306, Master_id: 3, Slave_UUID: "14cb6624-7f93-11e0-b2c0-c80aa9429562" }];
/** SHOW REPLICAS from MySQL 8.0.22: the same rows under the new terms. */
const replicas = [{ Server_id: 10, Host: "iconnect2", Port: 3306, Source_id: 3, Replica_UUID: "14cb6624-7f93-11e0-b2c0-c80aa9429562" }];

type Answers = Record<string, Record<string, unknown>[]>;

/** SHOW GLOBAL VARIABLES of a server set up for change capture with GTIDs (what the manuals list per release). */
const settings = { log_bin: "ON", binlog_format: "ROW", binlog_row_image: "FULL", server_id: "1", lower_case_table_names: "0" };
const mysqlVariables = { ...settings, binlog_row_metadata: "FULL", binlog_row_value_options: "", gtid_mode: "ON", gtid_executed: `${status.Executed_Gtid_Set},\n14cb6624-7f93-11e0-b2c0-c80aa9429562:1-5` };
/** 5.7 has only log_slave_updates (OFF unless set); 8.0.26 added log_replica_updates beside it; 8.4 dropped the old name. */
const mysql57Variables = { ...mysqlVariables, log_slave_updates: "ON" };
const mysql80Variables = { ...mysqlVariables, binlog_transaction_compression: "OFF", log_slave_updates: "ON", log_replica_updates: "ON" };
const mysql84Variables = { ...mysqlVariables, binlog_transaction_compression: "OFF", log_replica_updates: "ON" };
const mariadbVariables = { ...settings, binlog_row_metadata: "FULL", gtid_strict_mode: "ON", gtid_binlog_pos: "0-1-42", gtid_binlog_state: "0-2-17,0-1-42", log_slave_updates: "ON" };

const mysql57: Answers = { "SHOW MASTER STATUS": [status], "SHOW SLAVE HOSTS": slaveHosts, "SHOW BINARY LOGS": binaryLogs.map(({ Log_name, File_size }) => ({ Log_name, File_size })) };
const mysql80: Answers = { "SHOW MASTER STATUS": [status], "SHOW SLAVE HOSTS": slaveHosts, "SHOW REPLICAS": replicas, "SHOW BINARY LOGS": binaryLogs };
// 8.2 added SHOW BINARY LOG STATUS; 8.4 removed SHOW MASTER STATUS and SHOW SLAVE HOSTS.
const mysql84: Answers = { "SHOW BINARY LOG STATUS": [status], "SHOW REPLICAS": replicas, "SHOW BINARY LOGS": binaryLogs };
const mariadb: Answers = {
  "SHOW MASTER STATUS": [{ File: "mariadb-bin.000002", Position: "1779", Binlog_Do_DB: "", Binlog_Ignore_DB: "" }],
  "SHOW SLAVE HOSTS": [{ Server_id: 21, Host: "athena", Port: 3306, Master_id: 1 }],
  "SHOW BINARY LOGS": [{ Log_name: "mariadb-bin.000002", File_size: "1779" }],
  "SELECT @@global.gtid_binlog_pos AS pos": [{ pos: "0-1-42" }],
};

function recorded(name: string, version: string, answers: Answers, variables: Record<string, string>): () => RecordedServer {
  return () => {
    const sent: string[] = [];
    return {
      name,
      version,
      sent,
      async query(sql, values) {
        sent.push(sql);
        if (sql === "SELECT @@version AS version") return [{ version }];
        if (sql === "SHOW GLOBAL VARIABLES WHERE Variable_name IN (?)") {
          const all: Record<string, string> = { ...variables, version };
          return ((values?.[0] ?? []) as string[]).filter((n) => n in all).map((n) => ({ Variable_name: n, Value: all[n] }));
        }
        const answer = answers[sql];
        if (answer) return answer;
        throw Object.assign(new Error(`You have an error in your SQL syntax; check the manual that corresponds to your server version for the right syntax to use near '${sql.split(" ").slice(1).join(" ")}' at line 1`), { errno: 1064, code: "ER_PARSE_ERROR", sqlState: "42000" });
      },
    };
  };
}

export const recordedServers = {
  "MySQL 5.7.44": recorded("MySQL 5.7.44", "5.7.44-log", mysql57, mysql57Variables),
  "MySQL 8.0.36": recorded("MySQL 8.0.36", "8.0.36", mysql80, mysql80Variables),
  "MySQL 8.4.3": recorded("MySQL 8.4.3", "8.4.3", mysql84, mysql84Variables),
  "MySQL 9.1.0": recorded("MySQL 9.1.0", "9.1.0", mysql84, mysql84Variables),
  "MariaDB 10.11.19": recorded("MariaDB 10.11.19", "10.11.19-MariaDB-0+deb12u1-log", mariadb, mariadbVariables),
};

export type RecordedServerName = keyof typeof recordedServers;
export const recordedServerNames = Object.keys(recordedServers) as RecordedServerName[];
