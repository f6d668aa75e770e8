// Every numeric setting has a range: a value outside it is DTS2009 naming the range, at the
// value, and a plan written by hand is held to the same range by the schema.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";
import { limits, type Range } from "../../src/compiler/analyze/limits.js";

interface Place {
  pipeline?: string;
  source?: string;
  destination?: string;
  sync?: string;
}

function spec(place: Place): string {
  return `pipeline "p" {
  ${place.pipeline ?? ""}
  ${place.sync ? `initial_sync { ${place.sync} }` : ""}
  source mysql {
    host = "db"
    user = "u"
    ${place.source ?? ""}
  }
  destination kafka {
    brokers = ["k:9092"]
    topic   = "t"
    ${place.destination ?? ""}
  }
  database "d" {}
}
`;
}

function diagnose(place: Place) {
  return compile([{ file: "limits.dts", text: spec(place) }]).diagnostics.map((d) => ({ code: d.code, message: d.message, at: spec(place).split("\n")[d.span.line - 1]?.slice(d.span.column - 1, d.span.endColumn - 1) }));
}

const huge = "99999999999999999999999";

const integers: [string, Range, (value: string) => Place][] = [
  ["port", limits.port, (v) => ({ source: `port = ${v}` })],
  ["server_id", limits.serverId, (v) => ({ source: `server_id = ${v}` })],
  ["chunk_size", limits.chunkSize, (v) => ({ sync: `chunk_size = ${v}` })],
  ["parallelism", limits.parallelism, (v) => ({ sync: `parallelism = ${v}` })],
  ["max_rows_per_second", limits.rowsPerSecond, (v) => ({ sync: `max_rows_per_second = ${v}` })],
  ["max_bytes_per_second", limits.bytesPerSecond, (v) => ({ sync: `max_bytes_per_second = ${v}` })],
  ["partitions", limits.partitions, (v) => ({ destination: `create_topics { partitions = ${v} }` })],
  ["replication_factor", limits.replicationFactor, (v) => ({ destination: `create_topics { replication_factor = ${v} }` })],
];

describe("numeric settings", () => {
  it.each(integers)("%s: the bounds compile, outside them is DTS2009 with the range", (key, range, place) => {
    expect(diagnose(place(String(range.min)))).toEqual([]);
    expect(diagnose(place(String(range.max)))).toEqual([]);
    for (const value of [String(range.min - 1), String(range.max + 1), huge]) {
      expect(diagnose(place(value))).toEqual([{ code: "DTS2009", message: `${key} must be between ${range.min} and ${range.max}; got ${value}`, at: value }]);
    }
  });

  it("the binlog position of start_from", () => {
    const place = (n: string): Place => ({ sync: "data = false", source: `start_from = position("mysql-bin.000001", ${n})` });
    expect(diagnose(place("4"))).toEqual([]);
    expect(diagnose(place(huge))).toEqual([{ code: "DTS2009", message: `the binlog position must be between 4 and ${Number.MAX_SAFE_INTEGER}; got ${huge}`, at: huge }]);
  });

  it("retry_window is at most 30 days (a 23-digit one used to fail at run time with Invalid time value)", () => {
    expect(diagnose({ pipeline: "retry_window = 30d" })).toEqual([]);
    expect(diagnose({ pipeline: "retry_window = 0s" })).toEqual([]);
    for (const value of ["31d", "720h1s", `${huge}h`]) {
      expect(diagnose({ pipeline: `retry_window = ${value}` })).toEqual([{ code: "DTS2009", message: `retry_window must be between 0s and 30d; got ${value}`, at: value }]);
    }
  });

  it("max_delay and the heartbeat's period and interval: the bounds compile, outside them is DTS2009 at the value", () => {
    const durations: [string, (v: string) => Place, string, string, string[]][] = [
      ["max_delay", (v) => ({ pipeline: `max_delay = ${v}` }), "1s", "30d", ["0s", "30d1s", `${huge}h`]],
      ["period", (v) => ({ source: `heartbeat { period = ${v} }` }), "1s", "1h", ["0s", "1h1s"]],
      ["interval", (v) => ({ source: `heartbeat { table = "ops.beat"  interval = ${v} }` }), "1s", "1d", ["0s", "1d1s"]],
    ];
    for (const [key, place, min, max, outside] of durations) {
      expect(diagnose(place(min))).toEqual([]);
      expect(diagnose(place(max))).toEqual([]);
      for (const value of outside) expect(diagnose(place(value))).toEqual([{ code: "DTS2009", message: `${key} must be between ${min} and ${max}; got ${value}`, at: value }]);
    }
  });

  it("max_bytes_per_second as a size is at most 1024GiB", () => {
    expect(diagnose({ sync: "max_bytes_per_second = 1024GiB" })).toEqual([]);
    for (const value of ["1025GiB", `${huge}GiB`, "0B"]) {
      expect(diagnose({ sync: `max_bytes_per_second = ${value}` })).toEqual([{ code: "DTS2009", message: `max_bytes_per_second must be between 1B and 1024GiB; got ${value}`, at: value }]);
    }
  });
});

describe("the plan schema", () => {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, "../../schemas/plan.schema.json"), "utf8")) as { $defs: Record<string, { properties: Record<string, unknown> }> };
  const at = (path: string[]): { minimum?: number; maximum?: number } => path.reduce<any>((node, key) => node[key], schema.$defs);
  const places: [keyof typeof limits, string[]][] = [
    ["port", ["MysqlSource", "properties", "port", "oneOf", "0"]],
    ["serverId", ["MysqlSource", "properties", "serverId"]],
    ["binlogPosition", ["StartPosition", "oneOf", "3", "properties", "position"]],
    ["retryWindow", ["Pipeline", "properties", "retryWindowSeconds"]],
    ["maxDelay", ["Pipeline", "properties", "maxDelaySeconds", "oneOf", "0"]],
    ["heartbeatPeriod", ["SourceHeartbeat", "properties", "periodSeconds"]],
    ["heartbeatInterval", ["SourceHeartbeat", "properties", "table", "oneOf", "1", "properties", "intervalSeconds"]],
    ["partitions", ["KafkaDestination", "properties", "createTopics", "properties", "partitions"]],
    ["replicationFactor", ["KafkaDestination", "properties", "createTopics", "properties", "replicationFactor"]],
    ["chunkSize", ["InitialSync", "properties", "chunkSize"]],
    ["parallelism", ["InitialSync", "properties", "parallelism"]],
    ["rowsPerSecond", ["InitialSync", "properties", "throttle", "properties", "rowsPerSecond"]],
    ["bytesPerSecond", ["InitialSync", "properties", "throttle", "properties", "bytesPerSecond"]],
  ];
  it.each(places)("allows exactly the compiler's range for %s", (key, path) => {
    const { minimum, maximum } = at(path);
    expect({ min: minimum, max: maximum }).toEqual({ min: limits[key].min, max: limits[key].max });
  });
});
