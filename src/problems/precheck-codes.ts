// The precheck's codes, one per check and in the order `dts precheck` reports them. The title
// heads the check in the report; a fix here is shown for a warn or fail that brings none.
import { entries } from "./entry.js";

export const precheckCodes = entries("precheck", {
  "source-connection": [4001, "Connect to the source", "check the source block's host, port, user and password, and that the server accepts this client"],
  "source-version": [4002, "Source server version", "use MySQL 5.6–8.x or MariaDB 10.x–11.x"],
  "binlog-enabled": [4003, "Binary logging enabled (log_bin)", "add log_bin = mysql-bin and a server_id to my.cnf and restart the server"],
  "binlog-format": [4004, "binlog_format = ROW", "SET GLOBAL binlog_format = 'ROW' and add binlog_format = ROW to my.cnf"],
  "binlog-row-image": [4005, "binlog_row_image = FULL", "SET GLOBAL binlog_row_image = 'FULL' and add binlog_row_image = FULL to my.cnf"],
  "binlog-row-metadata": [4006, "Column metadata in the binlog", "SET GLOBAL binlog_row_metadata = 'FULL' and add binlog_row_metadata = FULL to my.cnf"],
  "binlog-transaction-compression": [4007, "binlog_transaction_compression = OFF", "SET GLOBAL binlog_transaction_compression = OFF and add it to my.cnf"],
  "server-id": [4008, "Server ids", "give the pipeline a server_id that neither the source nor any of its replicas or other pipelines uses"],
  "gtid-mode": [4009, "GTID", "enable GTIDs on the source (MySQL: gtid_mode = ON; MariaDB: gtid_strict_mode = ON)", "warning"],
  privileges: [4010, "Source account privileges", "GRANT REPLICATION SLAVE, REPLICATION CLIENT (MariaDB: BINLOG MONITOR) ON *.* and SELECT on the selected tables to the account"],
  "tables-exist": [4011, "Selected tables exist", "create the table or database, or fix its name in the spec"],
  "table-keys": [4012, "Tables have a primary or unique key", "add a primary key, or accept duplicates downstream", "warning"],
  "table-engines": [4013, "Storage engines supported", "convert the tables to InnoDB, or leave them out of the spec"],
  // Numbered after the others: it came later, and codes never change.
  "foreign-key-cascades": [4020, "No foreign-key cascades change selected tables", "have the application change the child rows itself, or accept that consumers miss what the cascades change", "warning"],
  "table-columns": [4021, "Columns the spec names exist, output names distinct", "fix the column names in the spec (they match in any case), and give each output column its own name"],
  "binlog-retention": [4014, "Binlog retention covers the retry window", "keep binlogs at least as long as the retry window, or shorten retry_window", "warning"],
  timezone: [4015, "Time zone matches the spec", "set the source block's timezone to the server's"],
  "kafka-brokers": [4016, "Connect to every Kafka broker", "check the brokers list in the destination block, that the brokers run, and firewalls"],
  "kafka-auth": [4017, "Kafka authentication (SASL/TLS)", "check the destination's tls setting and its auth block against the brokers' listeners"],
  topics: [4018, "Topics exist with enough partitions", "create the topics, or set create_topics = true in the destination block"],
  // The run's own machine; numbered after the others, as above.
  "state-folder": [4022, "State folder usable", "set checkpoint.directory to a folder this user may write"],
  "partition-count": [4019, "Partition counts unchanged since the checkpoint", "restore the partition count, or start over on a new topic with a fresh state folder (and, when the spec keeps checkpoints in Kafka, a new checkpoint topic: the one there would be resumed)"],
});

export type PrecheckId = keyof typeof precheckCodes;
