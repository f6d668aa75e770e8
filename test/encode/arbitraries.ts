// fast-check generators for random tables (every MySQL column family) and row events whose
// values respect each column's type: the inputs of the round-trip properties.
import fc from "fast-check";
import type { ColumnInfo, ColumnValue, RowChange, TableInfo } from "../../src/runtime/change-event.js";
import { column, context } from "./helpers.js";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const fraction = (fsp: number) => (fsp === 0 ? fc.constant("") : fc.integer({ min: 0, max: 10 ** fsp - 1 }).map((f) => `.${pad(f, fsp)}`));
const codePoint = fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff);
const unicodeText = fc.array(fc.oneof(codePoint, fc.constantFrom(0x1f600, 0x1d11e, 0xe9, 0x20)), { maxLength: 12 }).map((cs) => String.fromCodePoint(...cs));
const latin1Text = fc.array(fc.constantFrom(..."abcXYZ 09'\"\\éüß€ÿ"), { maxLength: 10 }).map((cs) => cs.join(""));
const labelText = fc.array(fc.constantFrom(..."abcé😀' "), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(""));

export interface ColumnKind { column: ColumnInfo; value: fc.Arbitrary<ColumnValue> }

const intRange = (bits: number, unsigned: boolean) =>
  unsigned ? fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) - 1n }) : fc.bigInt({ min: -(2n ** BigInt(bits - 1)), max: 2n ** BigInt(bits - 1) - 1n });

function decimalValue(p: number, s: number): fc.Arbitrary<string> {
  return fc.tuple(fc.boolean(), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: p - s, maxLength: p - s }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: s, maxLength: s }))
    .map(([negative, whole, frac]) => {
      const w = whole.join("").replace(/^0+/, "") || "0";
      const text = s > 0 ? `${w}.${frac.join("")}` : w;
      return negative && /[1-9]/.test(text) ? `-${text}` : text;
    });
}

export const columnKinds = (name: string): fc.Arbitrary<ColumnKind> =>
  fc.oneof(
    fc.tuple(fc.constantFrom(["tinyint(4)", 8], ["smallint(6)", 16], ["mediumint(9)", 24], ["int(11)", 32], ["bigint(20)", 64]), fc.boolean())
      .map(([[type, bits], unsigned]) => ({ column: column(name, unsigned ? `${type} unsigned` : type), value: intRange(bits, unsigned) })),
    fc.integer({ min: 1, max: 64 }).map((n) => ({ column: column(name, `bit(${n})`), value: fc.bigInt({ min: 0n, max: 2n ** BigInt(n) - 1n }) })),
    fc.integer({ min: 1, max: 65 }).chain((p) => fc.integer({ min: 0, max: Math.min(p, 30) }).map((s) => ({ column: column(name, `decimal(${p},${s})`), value: decimalValue(p, s) }))),
    fc.constant({ column: column(name, "float"), value: fc.float({ noNaN: true, noDefaultInfinity: true }).map((f) => Math.fround(f)) }),
    fc.constant({ column: column(name, "double"), value: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
    fc.constant({ column: column(name, "date"), value: fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 31 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`) }),
    fc.integer({ min: 0, max: 6 }).map((fsp) => ({
      column: column(name, fsp ? `datetime(${fsp})` : "datetime"),
      value: fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fraction(fsp))
        .map(([y, mo, d, h, mi, s, f]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}${f}`),
    })),
    fc.integer({ min: 0, max: 6 }).map((fsp) => ({
      column: column(name, fsp ? `timestamp(${fsp})` : "timestamp"),
      value: fc.oneof(
        fc.constant({ kind: "timestamp" as const, epochSeconds: 0, micros: 0 }),
        fc.tuple(fc.oneof(fc.integer({ min: 1, max: 86_400 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2 ** 31 - 86_400, max: 2 ** 31 - 1 })), fc.integer({ min: 0, max: 10 ** fsp - 1 }))
          .map(([epochSeconds, f]) => ({ kind: "timestamp" as const, epochSeconds, micros: f * 10 ** (6 - fsp) })),
      ),
    })),
    fc.integer({ min: 0, max: 6 }).map((fsp) => ({
      column: column(name, fsp ? `time(${fsp})` : "time"),
      value: fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 838 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59 })), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59 })), fc.oneof(fc.constant(fsp ? `.${"0".repeat(fsp)}` : ""), fraction(fsp)))
        .map(([negative, h, m, s, f]) => {
          const text = `${pad(h, h > 99 ? 3 : 2)}:${pad(m)}:${pad(s)}${f}`;
          return negative && /[1-9]/.test(text) ? `-${text}` : text;
        }),
    })),
    fc.constant({ column: column(name, "year(4)"), value: fc.oneof(fc.constant(0), fc.integer({ min: 1901, max: 2155 })) }),
    fc.constantFrom("char(10)", "varchar(255)", "text", "longtext").map((t) => ({ column: column(name, t), value: unicodeText })),
    fc.constant({ column: column(name, "varchar(50)", { charset: "latin1" }), value: latin1Text }),
    fc.constantFrom("binary(16)", "varbinary(255)", "blob", "longblob").map((t) => ({ column: column(name, t, { charset: "binary" }), value: fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array(b)) })),
    fc.constant({ column: column(name, "json"), value: fc.json() }),
    fc.uniqueArray(labelText, { minLength: 1, maxLength: 5 }).map((labels) => ({
      column: column(name, `enum(${labels.map((l) => `'${l.replaceAll("'", "''")}'`).join(",")})`),
      value: fc.oneof(fc.constant(""), fc.constantFrom(...labels)),
    })),
    fc.uniqueArray(labelText.filter((l) => !l.includes(",")), { minLength: 1, maxLength: 8 }).map((labels) => ({
      column: column(name, `set(${labels.map((l) => `'${l.replaceAll("'", "''")}'`).join(",")})`),
      value: fc.subarray(labels).map((members) => members.join(",")),
    })),
    // Canonical geometry is SRID 0 + WKB (the readers never see another SRID).
    fc.constant({ column: column(name, "point", { charset: "binary" }), value: fc.uint8Array({ minLength: 21, maxLength: 21 }).map((b) => new Uint8Array([0, 0, 0, 0, ...b])) }),
  );

export interface TableWithValues { table: TableInfo; values: fc.Arbitrary<ColumnValue>[] }

export const tableArb: fc.Arbitrary<TableWithValues> = fc
  .tuple(fc.constantFrom("shop", "my.db", "数据"), fc.constantFrom("orders", "t.x", 'q"t'), fc.integer({ min: 1, max: 8 }))
  .chain(([database, tableName, count]) =>
    fc.tuple(...Array.from({ length: count }, (_, i) => columnKinds(i % 3 === 2 ? `c"${i}.x` : `c${i}`)), fc.subarray(Array.from({ length: count }, (_, i) => i), { maxLength: Math.min(2, count) }))
      .map((parts) => {
        const keyIndexes = parts[parts.length - 1] as number[];
        const kinds = parts.slice(0, -1) as ColumnKind[];
        const table: TableInfo = {
          database, table: tableName, columns: kinds.map((k) => k.column),
          primaryKey: keyIndexes.map((i) => (kinds[i] as ColumnKind).column.name), uniqueKeys: keyIndexes.length === 0 && count > 1 ? { uk_c1: [(kinds[1] as ColumnKind).column.name] } : {},
        };
        return { table, values: kinds.map((k) => fc.option(k.value, { nil: null, freq: 5 })) };
      }),
  );

export const rowChangeArb: fc.Arbitrary<RowChange> = tableArb.chain(({ table, values }) =>
  fc.tuple(fc.constantFrom("insert", "update", "delete", "snapshot"), fc.tuple(...values), fc.tuple(...values), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 4, max: 2 ** 40 }))
    .map(([op, before, after, eventTimeSeconds, offset]): RowChange => {
      const operation = op === "snapshot" ? "insert" : op;
      return {
        kind: "row", operation, snapshot: op === "snapshot", table, eventTimeSeconds,
        before: operation === "insert" ? null : before, after: operation === "delete" ? null : after,
        ...context, position: { ...context.position, offset },
      };
    }),
);
