// `heartbeat { period = 10s  table = "ops.dts_heartbeat"  interval = 10s }` in a source block →
// SourceHeartbeat. The period is asked of the server for the binlog stream (always on, so an
// idle stream still proves it is alive); the table is optional and off by default.
import type { Block } from "../ast.js";
import type { SourceHeartbeat } from "../../generated/plan.js";
import { Body } from "./body.js";
import type { DecodeContext } from "./context.js";
import { decodeDuration } from "./duration.js";
import { limits } from "./limits.js";

const shape = {
  owner: "the heartbeat block",
  attributes: ["period", "table", "interval"],
} as const;

const defaultSeconds = 10;
/** MySQL and MariaDB name length limit for databases and tables. */
const maxNameLength = 64;

export function defaultHeartbeat(): SourceHeartbeat {
  return { periodSeconds: defaultSeconds, table: null };
}

function tableName(ctx: DecodeContext, body: Body): { database: string; table: string } | undefined {
  const attr = body.attribute("table");
  if (!attr) return undefined;
  const text = ctx.values.string(attr, 'a "database.table" name');
  if (text === undefined) return undefined;
  const parts = text.split(".");
  const [database, table] = parts;
  if (parts.length !== 2 || !database || !table || database.length > maxNameLength || table.length > maxNameLength) {
    ctx.bag.report("wrongType", attr.value.span, `heartbeat table "${text}" must name one database and one table, each at most ${maxNameLength} characters`, 'write table = "ops.dts_heartbeat"');
    return undefined;
  }
  return { database, table };
}

export function decodeHeartbeat(ctx: DecodeContext, block: Block | undefined): SourceHeartbeat {
  const heartbeat = defaultHeartbeat();
  if (!block) return heartbeat;
  const body = new Body(block.items, shape, ctx.bag);
  const period = body.attribute("period");
  const interval = body.attribute("interval");
  heartbeat.periodSeconds = (period ? decodeDuration(ctx, period, limits.heartbeatPeriod, { unit: "s", examples: "10s or 1m" }) : undefined) ?? defaultSeconds;
  const intervalSeconds = (interval ? decodeDuration(ctx, interval, limits.heartbeatInterval, { unit: "s", examples: "10s or 1m" }) : undefined) ?? defaultSeconds;
  const table = tableName(ctx, body);
  if (table) heartbeat.table = { ...table, intervalSeconds };
  else if (interval && !body.attribute("table")) {
    ctx.bag.report("notApplicable", interval.name.span, "interval is how often the heartbeat table is written; without table it has no effect", 'add table = "ops.dts_heartbeat", or remove interval');
  }
  return heartbeat;
}
