// The sql_mode of every session we open, whatever the server's default. Our statements assume the
// default parser: mysql2 escapes literals with backslashes, '' is an empty string, and a
// snapshot reads CHAR values without their trailing pad, as the binlog has them. A server set to
// NO_BACKSLASH_ESCAPES, ANSI_QUOTES, EMPTY_STRING_IS_NULL, PAD_CHAR_TO_FULL_LENGTH or MariaDB's
// ORACLE mode would otherwise break a chunk's key literal or change what a snapshot reads. We
// only read, and write our own heartbeat rows, so no strict mode is needed either.

/** An assignment for a SET statement. */
export const SESSION_SQL_MODE = "sql_mode = ''";

/**
 * How long the server may wait to write to one of our connections that we stopped reading
 * (net_write_timeout, 60 s by default) before it drops it. We stop reading on purpose: the binlog
 * while the initial sync holds changes back or Kafka is slow, a one-pass SELECT while its rows
 * wait to be sent. Dropped, a one-pass copy would start over, and a long one again and again.
 */
export const PAUSED_WRITE_TIMEOUT = "net_write_timeout = 3600";

/**
 * How long the server keeps one of our connections while it is idle (wait_timeout: 8 hours by
 * default, often set to minutes). Ours wait between uses by design (the control connection,
 * zongji's, a chunk comparer a table never needs) and live as long as the pipeline: closed by
 * the server, one failed the session, and a one-pass copy longer than the timeout started over
 * and over. A year is the largest value both servers take.
 */
export const IDLE_TIMEOUT = "wait_timeout = 31536000";
