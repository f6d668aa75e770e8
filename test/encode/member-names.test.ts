// Property: column and index names that are Object.prototype members (`constructor`,
// `__proto__`, …), as source names and as rename targets, go through the mapping, both
// encoders, the message key and both decoders as ordinary names.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ColumnValue, RowChange, RowImage, TableInfo } from "../../src/runtime/change-event.js";
import { canalMessageToEvents, decodeCanalJson } from "../../src/messages/canal-json.js";
import { decodeDtsAvro, dtsRecordToEvent } from "../../src/messages/dts-avro.js";
import { readableDtsRecord } from "../../src/messages/readable.js";
import { createEncoder } from "../../src/runtime/encode/index.js";
import { zoneClock } from "../../src/runtime/encode/time-zone.js";
import type { ObjectRule } from "../../src/generated/plan.js";
import { mapTable } from "../../src/runtime/select/row-mapper.js";
import { columnKinds } from "./arbitraries.js";
import { context, pipeline } from "./helpers.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 200);
const memberNames = ["constructor", "toString", "valueOf", "__proto__", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "__defineGetter__", "__lookupSetter__"];
const nameArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...memberNames) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) });

interface Case {
  table: TableInfo;
  rule: ObjectRule;
  /** Column names in messages, after renames. */
  targets: string[];
  before: RowImage;
  after: RowImage;
}

function ruleWith(rename: Record<string, string>): ObjectRule {
  return {
    origin: { file: "t.dts", line: 1, column: 1 }, database: { exact: "db" }, table: null, target: { database: null, table: null, topic: null },
    // as the plan is read: JSON, so `__proto__` is an own member like any other
    columns: { include: null, exclude: [], rename: JSON.parse(JSON.stringify(rename)) as Record<string, string> }, filter: null, partition: null,
  };
}

const caseArb: fc.Arbitrary<Case> = fc
  // MySQL column names are unique in any case, and so must be the names after renames
  .uniqueArray(nameArb, { minLength: 2, maxLength: 6, selector: (name) => name.toLowerCase() })
  .chain((names) =>
    fc.tuple(fc.tuple(...names.map(columnKinds)), fc.array(fc.option(nameArb, { nil: null }), { minLength: names.length, maxLength: names.length }), fc.constantFrom(...memberNames)).map(([kinds, renameTo, indexName]) => {
      const targets = names.map((name, i) => renameTo[i] ?? name);
      const uniqueKeys: TableInfo["uniqueKeys"] = Object.create(null);
      uniqueKeys[indexName] = [names[1] as string];
      const table: TableInfo = { database: "db", table: "t", columns: kinds.map((k) => k.column), primaryKey: [names[0] as string], uniqueKeys };
      const rename = Object.fromEntries(names.flatMap((name, i) => (renameTo[i] ? [[name, renameTo[i]]] : [])));
      return { table, rule: ruleWith(rename), targets, values: kinds.map((k) => fc.option(k.value, { nil: null, freq: 4 })) };
    }),
  )
  .filter(({ targets }) => new Set(targets.map((t) => t.toLowerCase())).size === targets.length)
  .chain(({ table, rule, targets, values }) => fc.tuple(fc.tuple(...values), fc.tuple(...values)).map(([before, after]) => ({ table, rule, targets, before, after })));

const comparable = (image: RowImage | null) => image?.map((v: ColumnValue) => (v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString("hex")}` : v));
const sorted = (names: string[]) => [...names].sort();

function change(table: TableInfo, before: RowImage, after: RowImage): RowChange {
  return { kind: "row", operation: "update", snapshot: false, table, before, after, eventTimeSeconds: 1_700_000_000, ...context };
}

describe("names that are Object.prototype members", () => {
  it("map, encode and decode as ordinary names (canal JSON)", () => {
    const encoder = createEncoder(pipeline("canal-json"), { nowMs: () => 0 });
    const clock = zoneClock("+00:00");
    fc.assert(
      fc.property(caseArb, ({ table, rule, targets, before, after }) => {
        const mapping = mapTable(table, rule, "topic");
        expect(mapping.target.columns.map((c) => c.name)).toEqual(targets);
        const row = change(mapping.target, mapping.project(before), mapping.project(after));
        const [message] = encoder.encodeRows([row]);
        const json = JSON.parse((message?.value as Buffer).toString("utf8")) as { data: object[]; mysqlType: object; sqlType: object; pkNames: string[] };
        expect(sorted(Object.keys(json.data[0] as object))).toEqual(sorted(targets));
        expect(sorted(Object.keys(json.mysqlType))).toEqual(sorted(targets));
        expect(sorted(Object.keys(json.sqlType))).toEqual(sorted(targets));
        expect(json.pkNames).toEqual([targets[0]]);
        expect(JSON.parse((message?.key as Buffer).toString("utf8"))).toHaveLength(3);
        const [decoded] = canalMessageToEvents(decodeCanalJson(message?.value as Buffer), mapping.target, clock) as RowChange[];
        expect(comparable(decoded?.after ?? null)).toEqual(comparable(row.after));
        expect(comparable(decoded?.before ?? null)).toEqual(comparable(row.before));
      }),
      { numRuns: runs },
    );
  });

  it("map, encode and decode as ordinary names (DTS Avro)", () => {
    const encoder = createEncoder(pipeline("dts-avro"));
    fc.assert(
      fc.property(caseArb, ({ table, rule, targets, before, after }) => {
        const mapping = mapTable(table, rule, "topic");
        const row = change(mapping.target, mapping.project(before), mapping.project(after));
        const [message] = encoder.encodeRows([row]);
        const { record } = decodeDtsAvro(message?.value as Buffer);
        const fields = record.fields && "array" in record.fields ? record.fields.array.map((f) => f.name) : [];
        expect(fields).toEqual(targets);
        const keys = JSON.parse(record.tags.pk_uk_info as string) as object;
        expect(Object.entries(keys)).toEqual([["PRIMARY", [targets[0]]], [Object.keys(table.uniqueKeys)[0], [targets[1]]]]);
        expect(Object.keys(readableDtsRecord(record, null).after as object)).toEqual(Object.keys(Object.fromEntries(targets.map((t) => [t, 0]))));
        const decoded = dtsRecordToEvent(record, mapping.target) as RowChange;
        expect(comparable(decoded.after)).toEqual(comparable(row.after));
        expect(comparable(decoded.before)).toEqual(comparable(row.before));
      }),
      { numRuns: runs },
    );
  });
});
