// What each client should show for a column, derived from the server's own renderings of the
// value, and each client's output brought to the same neutral text. The neutral forms differ
// only where a client type prints differently by design (Java's float text, trailing fraction
// zeros, WKT spacing); a value that is wrong stays different.
import type { ColumnInfo } from "../../src/runtime/change-event.js";
import { columnFamily, type ColumnFamily } from "../../src/runtime/encode/column-family.js";
import type { CompatClient } from "./clients.js";

/** The SQL select expressions that render a column the ways the comparisons need. */
export function serverExpressions(column: ColumnInfo, alias: string): string[] {
  const q = `\`${column.name}\``;
  const forms = [`CAST(${q} AS CHAR) AS \`${alias}.text\``, `HEX(${q}) AS \`${alias}.hex\``];
  switch (columnFamily(column)) {
    case "float":
    case "double":
      return [...forms, `CAST(${q} AS DOUBLE) AS \`${alias}.number\``];
    case "bit":
    case "enum":
    case "set":
      return [...forms, `CAST(${q} + 0 AS CHAR) AS \`${alias}.number\``];
    case "timestamp":
      return [...forms, `CAST(UNIX_TIMESTAMP(${q}) AS CHAR) AS \`${alias}.number\``];
    case "geometry":
      return [`ST_AsText(${q}) AS \`${alias}.text\``, `HEX(ST_AsBinary(${q})) AS \`${alias}.hex\``, `HEX(${q}) AS \`${alias}.number\``];
    default:
      return forms;
  }
}

/** One column's value as the server renders it (all null for SQL NULL). */
export interface ServerValue {
  text: string | null;
  hex: string | null;
  number: string | null;
}

/** The neutral text a client should show, and the client's value brought to it. */
export interface Comparison {
  expected: string | null;
  actual: string | null;
}

const trimFraction = (t: string): string => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
const floatText = (t: string): string => String(Math.fround(Number(t)));
const doubleText = (t: string): string => (Object.is(Number(t), -0) ? "-0" : String(Number(t)));
const latin1Hex = (t: string): string => Buffer.from(t, "latin1").toString("hex").toUpperCase();
/** WKT without spacing, and MULTIPOINT's points without their optional parentheses (JTS writes `MULTIPOINT((1 2), (3 4))`). */
const wkt = (t: string): string =>
  t.replace(/\s*\(\s*/g, "(").replace(/\s*\)/g, ")").replace(/\s*,\s*/g, ",").replace(/(?<=[(,])\(([^(),]+)\)/g, "$1");
/** Epoch seconds with microseconds, as "s.micros" (6 digits). */
const instant = (t: string): string => {
  const [s = "0", f = ""] = t.split(".");
  return `${s}.${f.padEnd(6, "0")}`;
};

type Rule = { expected: (s: ServerValue) => string | null; actual?: (t: string) => string };

/** DTS SDK: {text, hex} of the SDK's value class (see java/DtsSdkClient.java). */
function dtsRule(family: ColumnFamily): Rule {
  switch (family) {
    case "float": return { expected: (s) => floatText(s.number as string), actual: floatText };
    case "double": return { expected: (s) => doubleText(s.number as string), actual: doubleText };
    case "bit": return { expected: (s) => s.number };
    case "timestamp": return { expected: (s) => instant(s.number as string), actual: instant };
    case "datetime":
    case "time": return { expected: (s) => trimFraction(s.text as string), actual: trimFraction };
    case "binary": return { expected: (s) => s.hex };
    case "geometry": return { expected: (s) => wkt(s.text as string), actual: wkt };
    default: return { expected: (s) => s.text };
  }
}

/** canal's FlatMessage and Flink's STRING columns: canal's text forms (FORMATS §b.2). */
function canalRule(family: ColumnFamily): Rule {
  switch (family) {
    case "float": return { expected: (s) => floatText(s.number as string), actual: floatText };
    case "double": return { expected: (s) => doubleText(s.number as string), actual: doubleText };
    case "bit":
    case "enum":
    case "set": return { expected: (s) => s.number };
    case "binary": return { expected: (s) => s.hex, actual: latin1Hex };
    // canal shows MySQL's internal geometry bytes (SRID + WKB), one ISO-8859-1 character each.
    case "geometry": return { expected: (s) => s.number, actual: latin1Hex };
    default: return { expected: (s) => s.text };
  }
}

function flinkRule(family: ColumnFamily, flinkType: string): Rule {
  if (/^TIMESTAMP/.test(flinkType)) return { expected: (s) => trimFraction(s.text as string), actual: trimFraction };
  // YEAR declared INT: 0000 is the number 0.
  if (family === "year") return { expected: (s) => String(Number(s.text)) };
  return canalRule(family);
}

/** Holds one client value against the server's rendering of the same column. */
export function compare(client: CompatClient, column: ColumnInfo, server: ServerValue, value: unknown, flinkType = ""): Comparison {
  const family = columnFamily(column);
  const rule = client === "dts-sdk" ? dtsRule(family) : client === "canal" ? canalRule(family) : flinkRule(family, flinkType);
  const expected = server.text === null && server.hex === null ? null : rule.expected(server);
  if (value === null || value === undefined) return { expected, actual: null };
  if (client !== "dts-sdk") return { expected, actual: rule.actual ? rule.actual(String(value)) : String(value) };
  // The SDK shows bytes (BINARY as Character with charset "binary", TEXT and BLOB as
  // BinaryObject) as hex; those compare by their bytes, the rest by the class's text.
  const v = value as { cls: string; text: string; hex?: string };
  if (v.hex !== undefined && (family === "binary" || v.cls === "BinaryEncodingObject")) return { expected: server.hex, actual: v.hex };
  return { expected, actual: rule.actual ? rule.actual(v.text) : v.text };
}
