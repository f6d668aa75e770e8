// fast-check generators of .dts text: valid pipelines laid out with random spacing and
// comments, and byte-level mutations of them.
import fc from "fast-check";

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const comment = fc.oneof(fc.constant(""), fc.stringMatching(/^[ a-z0-9.,!?]{0,20}$/).map((t) => ` # ${t}`), fc.constant(" // note"));
const gap = fc.constantFrom(" ", "  ", "\n", "\n\n", "\n  ");

const filter = fc.constantFrom(
  "(status = 'paid')",
  "(a > 1 AND b IS NOT NULL)",
  '"total BETWEEN 1 AND 10.5 OR kind IN (\'x\', \'y\')"',
  "(NOT (name LIKE 'tmp%'))",
  "(id <> -3)",
);

const table = fc.record({
  name: word,
  topic: fc.option(word, { nil: undefined }),
  filter: fc.option(filter, { nil: undefined }),
  exclude: fc.option(fc.uniqueArray(word, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  trailing: comment,
});

export interface GeneratedSpec {
  text: string;
  pipelines: number;
}

/** Table topics are prefixed with their pipeline, so generated pipelines never share a topic. */
function renderTable(t: { name: string; topic: string | undefined; filter: string | undefined; exclude: string[] | undefined; trailing: string }, sep: string, pipeline: number): string {
  const body: string[] = [];
  if (t.topic) body.push(`topic = "p${pipeline}.${t.topic}"`);
  if (t.filter) body.push(`filter = ${t.filter}`);
  if (t.exclude) body.push(`columns {${sep}exclude = [${t.exclude.map((c) => `"${c}"`).join(", ")}]${sep}}`);
  return `table "${t.name}" {${body.length ? sep + body.join(sep) + sep : ""}}${t.trailing}\n`;
}

const pipeline = fc.record({
  format: fc.constantFrom("dts-avro", "canal-json"),
  partition: fc.constantFrom("partition-zero", "table-hash", "primary-key-hash", 'columns("id")'),
  ddl: fc.constantFrom("ignore", "capture"),
  retry: fc.constantFrom("720m", "12h", "30s", "1h30m"),
  port: fc.integer({ min: 1, max: 65535 }),
  database: word,
  tables: fc.uniqueArray(table, { selector: (t) => t.name, maxLength: 4 }),
  sep: gap,
  lead: comment,
  brokers: fc.integer({ min: 1, max: 3 }),
  sync: fc.boolean(),
});

/** One to three pipelines with distinct names, topics and server ids, so they never conflict. */
export const validSpec: fc.Arbitrary<GeneratedSpec> = fc.array(pipeline, { minLength: 1, maxLength: 3 }).map((pipelines) => {
  const text = pipelines
    .map((p, i) => {
      const s = p.sep;
      const tables = p.tables.map((t) => renderTable(t, s, i)).join("");
      const brokers = Array.from({ length: p.brokers }, (_, b) => `"kafka-${b}:9092"`).join(", ");
      // Canal JSON pipelines that capture DDL give it a topic of its own (else DTS2033 warns).
      const ddlTopic = p.format === "canal-json" && p.ddl === "capture" ? `${s}ddl_topic = "main.${i}.ddl"` : "";
      return [
        `${p.lead.trim()}\npipeline "p${i}" {${s}format = ${p.format}${s}partition = ${p.partition}${s}ddl = ${p.ddl}`,
        `${s}retry_window = ${p.retry}${s}initial_sync = ${p.sync}\n`,
        `source mysql {${s}host = "db${i}"${s}port = ${p.port}${s}user = env("U")${s}password = env("P")${s}server_id = ${i + 1}${s}}\n`,
        `destination kafka {${s}brokers = [${brokers}]${s}topic = "main.${i}"${ddlTopic}${s}}\n`,
        `database "${p.database}" {${s}${tables}}\n}\n`,
      ].join("");
    })
    .join("\n");
  return { text, pipelines: pipelines.length };
});

const fragments = ["{", "}", "[", "]", "(", ")", "=", '"', "'", ",", "#", "\n", " ", "x", "12h", "env(", "match(", "filter = (", "\\", "é", "\t", "/*", "*/", "9"];

/** A valid spec with a few characters deleted, inserted or replaced. */
export const mutatedSpec: fc.Arbitrary<string> = fc
  .tuple(validSpec, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...fragments), fc.constantFrom("delete", "insert", "replace")), { minLength: 1, maxLength: 6 }))
  .map(([spec, edits]) => {
    let text = spec.text;
    for (const [at, length, fragment, kind] of edits) {
      const i = text.length ? at % text.length : 0;
      if (kind === "delete") text = text.slice(0, i) + text.slice(i + length + 1);
      else if (kind === "insert") text = text.slice(0, i) + fragment + text.slice(i);
      else text = text.slice(0, i) + fragment + text.slice(i + length + 1);
    }
    return text;
  });
