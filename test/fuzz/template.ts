// A small valid spec with named places to put generated text, so that a generated piece lands
// where the compiler reads it (a filter inside a table, a size inside initial_sync) and the rest
// of the file compiles clean: any diagnostic is then about the generated piece.

export interface Slots {
  /** Lines inside the pipeline block. */
  pipeline?: string;
  /** Lines inside `source mysql { }`. */
  source?: string;
  /** Replaces the `brokers = [...]` line of the destination. */
  brokers?: string;
  /** Lines inside `destination kafka { }`. */
  destination?: string;
  /** The database blocks; one database "shop" with one table "orders" when left out. */
  databases?: string;
  /** Lines inside the default table "orders" block. */
  table?: string;
  /** The name of the pipeline, unquoted. */
  name?: string;
  /** Text after the pipeline block. */
  after?: string;
}

export function spec(slots: Slots = {}): string {
  const indent = (text: string | undefined, pad: string) => (text === undefined ? "" : `${text.split("\n").map((l) => (l ? pad + l : l)).join("\n")}\n`);
  const databases = slots.databases ?? `database "shop" {\n  table "orders" {\n${indent(slots.table, "    ")}  }\n}`;
  return [
    `pipeline "${slots.name ?? "fuzz"}" {\n`,
    indent(slots.pipeline, "  "),
    `  source mysql {\n    host     = "db.internal"\n    user     = env("DB_USER")\n    password = env("DB_PASSWORD")\n`,
    indent(slots.source, "    "),
    `  }\n\n  destination kafka {\n`,
    indent(slots.brokers ?? 'brokers = ["kafka.internal:9092"]', "    "),
    `    topic = "fuzz.changes"\n`,
    indent(slots.destination, "    "),
    `  }\n\n`,
    indent(databases, "  "),
    `}\n`,
    slots.after ?? "",
  ].join("");
}

/** The 1-based line of the first occurrence of `needle`, for "reported on the right line" checks. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${JSON.stringify(needle)} is not in the generated spec`);
  return text.slice(0, at).split("\n").length;
}
