// Loads the published DTS Record schema (schemas/dts-avro/Record.avsc, kept byte-for-byte as
// Alibaba published it) into one avsc type, compiled once per process.
import { readFileSync } from "node:fs";
import avro from "avsc";

export const DTS_NAMESPACE = "com.alibaba.dts.formats.avro";

// src/runtime/encode (tsx) is three levels below the package root, dist/src/runtime/encode four.
const candidates = ["../../../schemas/dts-avro/Record.avsc", "../../../../schemas/dts-avro/Record.avsc"];

function readSchemaText(): string {
  for (const relative of candidates) {
    try {
      return readFileSync(new URL(relative, import.meta.url), "utf8");
    } catch {
      // not at this level; try the next
    }
  }
  throw new Error("schemas/dts-avro/Record.avsc is missing from the installation; reinstall dts-kafka");
}

let recordType: avro.Type | undefined;

/** The `com.alibaba.dts.formats.avro.Record` type; unions are wrapped (`{"<full name>": value}`). */
export function dtsRecordType(): avro.Type {
  if (!recordType) {
    const registry: Record<string, avro.Type> = {};
    const schemas = JSON.parse(readSchemaText()) as avro.Schema[];
    let last: avro.Type | undefined;
    for (const schema of schemas) last = avro.Type.forSchema(schema, { registry, wrapUnions: true });
    if (!last || last.name !== `${DTS_NAMESPACE}.Record`) throw new Error("schemas/dts-avro/Record.avsc does not end with the Record type");
    recordType = last;
  }
  return recordType;
}

/** The self-contained Record schema (named types inlined), as registered in a schema registry. */
export function dtsRecordSchemaJson(): string {
  return JSON.stringify(dtsRecordType().schema());
}
