// The benchmark's table: ten columns of the types issue 8 names, and deterministic rows for it.
// `label` starts with a batch marker (~<batch>~) so a consumer can find, in any of the message
// formats, which transaction a row came from without decoding it.

export const BENCH_COLUMNS = "id, n_int, n_big, amount, label, code, happened_at, updated_at, flag, body";

/**
 * Where the benchmark's rows are stored. BLACKHOLE keeps none but writes every insert to the
 * binlog as InnoDB does, so the source costs MariaDB about two thirds of the CPU and the stream
 * can be driven past the rate an InnoDB source reaches while it shares the machine's two cores.
 */
export type SourceEngine = "innodb" | "blackhole";

export const SOURCE_ENGINES: readonly SourceEngine[] = ["innodb", "blackhole"];

export function createTableSql(table: string, engine: SourceEngine = "innodb"): string {
  return `CREATE TABLE ${table} (
  id          BIGINT NOT NULL PRIMARY KEY,
  n_int       INT NOT NULL,
  n_big       BIGINT NOT NULL,
  amount      DECIMAL(12,2) NOT NULL,
  label       VARCHAR(64) NOT NULL,
  code        VARCHAR(32) NOT NULL,
  happened_at DATETIME(6) NOT NULL,
  updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  flag        TINYINT NOT NULL,
  body        TEXT NOT NULL
) ENGINE=${engine === "blackhole" ? "BLACKHOLE" : "InnoDB"}`;
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";

/** A fixed pool of ~200-byte texts, so generating rows costs the generator little CPU. */
const BODIES = Array.from({ length: 64 }, (_, i) => {
  let text = "";
  let x = (i + 1) * 2654435761;
  while (text.length < 200) {
    x = (x * 1103515245 + 12345) % 2147483648;
    text += ALPHABET[x % ALPHABET.length];
  }
  return text;
});

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** One row as SQL literals; only ASCII letters, digits and spaces, so nothing needs escaping. */
export function rowValues(id: number, batch: number): string {
  const seconds = 1_700_000_000 + (id % 31_536_000);
  const date = new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
  return `(${id},${(id * 7919) % 2147483647},${id * 104729},${pad(id % 10_000_000, 1)}.${pad(id % 100, 2)},` +
    `'~${batch}~customer ${id}','C${pad(id % 100_000, 5)}','${date}.${pad(id % 1_000_000, 6)}','${date}',${id % 2},'${BODIES[id % BODIES.length]}')`;
}

export function insertSql(table: string, firstId: number, rows: number, batch: number): string {
  const values: string[] = [];
  for (let i = 0; i < rows; i++) values.push(rowValues(firstId + i, batch));
  return `INSERT INTO ${table} (${BENCH_COLUMNS}) VALUES ${values.join(",")}`;
}

const MARKER = /~(\d+)~customer/g;

/** The batch markers found in a message value (one per row in all three formats). */
export function batchMarkers(value: Buffer): number[] {
  const text = value.toString("latin1");
  const found: number[] = [];
  for (const match of text.matchAll(MARKER)) found.push(Number(match[1]));
  return found;
}
