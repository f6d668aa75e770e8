// The range of every numeric setting, in one table. The compiler reports a value outside it
// (DTS2009, with the range), and test/compiler/limits.test.ts checks that the plan schema
// allows exactly these ranges, so a plan written by hand is held to the same bounds. The upper
// bounds are far beyond any real use; they exist so that a typo of many digits is an error
// here, not an overflow ("Invalid time value") hours into a run.

export interface Range {
  min: number;
  max: number;
  /** What to do instead, shown with the error. */
  hint: string;
}

const day = 86_400;

export const limits = {
  port: { min: 1, max: 65_535, hint: "leave it out for MySQL's 3306" },
  serverId: { min: 1, max: 4_294_967_295, hint: "leave it out for an id derived from the pipeline name" },
  binlogPosition: { min: 4, max: Number.MAX_SAFE_INTEGER, hint: "take file and position from SHOW MASTER STATUS on the source" },
  partitions: { min: 1, max: 100_000, hint: "leave it out for 1 partition" },
  replicationFactor: { min: 1, max: 32, hint: "at most the number of brokers; leave it out for 1" },
  chunkSize: { min: 1, max: 10_000_000, hint: "leave it out for 1000 rows per query" },
  parallelism: { min: 1, max: 64, hint: "leave it out for 4 tables at a time" },
  rowsPerSecond: { min: 1, max: 1_000_000_000, hint: "leave it out for no limit" },
  bytesPerSecond: { min: 1, max: 1024 ** 4, hint: "write a size such as 64MiB; leave it out for no limit" },
  /** Seconds. */
  retryWindow: { min: 0, max: 30 * day, hint: "a retry window longer than the server keeps its binlogs cannot resume anyway" },
  /** Seconds. */
  maxDelay: { min: 1, max: 30 * day, hint: "leave it out when the delay should not decide readiness" },
  /** Seconds; the server sends a heartbeat after this long without events. */
  heartbeatPeriod: { min: 1, max: 3600, hint: "leave it out for 10s; a dead connection is noticed after two periods" },
  /** Seconds between heartbeat rows. */
  heartbeatInterval: { min: 1, max: day, hint: "leave it out for 10s" },
} as const satisfies Record<string, Range>;

export function inRange(value: number, range: Range): boolean {
  return value >= range.min && value <= range.max;
}
