// The type matrix through the initial sync: every column type read by the snapshot's chunked
// SELECTs comes out of both encoders exactly as the same row does when it arrives through the
// binlog (which type-matrix.test.ts checks against the server's own text). The full matrix is
// read as values (its FLOAT, DOUBLE and POINT columns need mysql2's parsing); the matrix without
// them travels as the server's bytes (snapshot/text-result.ts), with a row of text JSON escapes.
import { describe, expect, it } from "vitest";
import { decodeDtsAvro } from "../../src/messages/dts-avro.js";
import { pipelinePlan, readSettled, rule, startInProcess, uniqueName, type ReadMessage } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";
import { columnsSql, rows } from "./type-matrix-data.js";
import { textMatrixCopySql, textMatrixSql } from "./type-matrix-text.js";

const streamedOffset = 100;

/** The row image of a message with its id column, in a form that compares exactly. */
function image(format: "canal-json" | "dts-avro", message: ReadMessage): { id: number; operation: string; values: unknown[] } {
  if (format === "canal-json") {
    const flat = JSON.parse(message.value.toString("utf8")) as { type: string; data: Record<string, string | null>[] };
    const row = flat.data[0] as Record<string, string | null>;
    return { id: Number(row.id), operation: flat.type, values: Object.entries(row).filter(([name]) => name !== "id") };
  }
  const { record } = decodeDtsAvro(message.value);
  const names = record.fields && "array" in record.fields ? record.fields.array.map((f) => f.name) : [];
  const after = record.afterImages && "array" in record.afterImages ? record.afterImages.array : [];
  const idValue = after[names.indexOf("id")] as Record<string, { value: string }>;
  return { id: Number(Object.values(idValue)[0]?.value), operation: record.operation, values: after.filter((_, i) => names[i] !== "id").map((v, i) => [names.filter((n) => n !== "id")[i], v]) };
}

/** The matrices, the number of rows each holds, and how to write their rows again at id + offset. */
const tables = [
  { table: "matrix", count: rows.length, copy: (database: string) => `INSERT INTO ${database}.matrix VALUES ${rows.map((row) => row.replace(/^\(\s*(\d+),/, (_, id: string) => `(${Number(id) + streamedOffset},`)).join(",\n")}` },
  { table: "matrix_text", count: rows.length + 1, copy: (database: string) => textMatrixCopySql(database, streamedOffset) },
];

// Canal-JSON shows TIMESTAMP in the pipeline's zone: UTC copies the server's text, another zone converts it.
const cases = [
  ["canal-json", "+00:00"],
  ["canal-json", "America/New_York"],
  ["dts-avro", "+00:00"],
] as const;

describe.each(cases)("type matrix through the initial sync (%s, zone %s)", (format, zone) => {
  const { database, db } = useTestDatabase("types_snap", (database) => [
    // Zero dates and the invalid ENUM value '' are part of the matrix: no strict mode (the
    // session's, so the tests' own inserts on this connection run without it too).
    "SET SESSION sql_mode = ''",
    `CREATE TABLE ${database}.matrix (${columnsSql}) DEFAULT CHARSET=utf8mb4`,
    `INSERT INTO ${database}.matrix VALUES ${rows.join(",\n")}`,
    ...textMatrixSql(database),
  ]);

  it.each(tables)("emits snapshot rows of $table identical to the same rows streamed from the binlog", async ({ table, count, copy }) => {
    const topic = uniqueName("types-snap");
    const plan = pipelinePlan(uniqueName("types-snap"), topic, [rule(database, table)], {
      format,
      initialSync: { schema: false, data: true, chunkSize: 2, parallelism: 1, throttle: { rowsPerSecond: null, bytesPerSecond: null } },
    });
    const pipeline = plan.pipelines[0];
    if (pipeline) {
      pipeline.source.startFrom = { kind: "after-initial-sync" };
      pipeline.source.timezone = zone;
    }
    const runtime = await startInProcess(plan);
    try {
      await db().query(copy(database));
      const images = (await readSettled(topic, count * 2)).map((m) => image(format, m));
      expect(images).toHaveLength(count * 2);
      const snapshotOperation = format === "dts-avro" ? "INIT" : "INSERT";
      for (let id = 1; id <= count; id++) {
        const fromSnapshot = images.find((i) => i.id === id);
        const fromBinlog = images.find((i) => i.id === id + streamedOffset);
        expect(fromSnapshot?.operation).toBe(snapshotOperation);
        expect(fromBinlog?.operation).toBe("INSERT");
        expect(fromSnapshot?.values).toEqual(fromBinlog?.values);
      }
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });
});
