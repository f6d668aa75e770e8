// The type matrix without the columns that make the initial sync read a table as values (FLOAT,
// DOUBLE), so its rows travel as the server's bytes (snapshot/text-result.ts), plus a
// row of text that JSON must escape. Built from the matrix table, which must exist first.

/** The matrix's columns that stay; FLOAT and the DOUBLEs are dropped (geometry is selected as its bytes). */
const kept = [
  "id", "ti", "tiu", "si", "siu", "mi", "miu", "i", "iu", "bi", "bu", "d65", "d2", "bt64", "bt1",
  "dt", "dtm", "dtm6", "ts6", "ts0", "tm", "tm3", "yr", "c", "vc", "vl", "tx", "lt", "bn", "vb", "bl", "js", "en", "st", "gm", "gg",
];

const escapes = `(5, 'q"', 'say "hi" \\\\ back\\nline\\ttab \\r\\0 \\Z end', 'Ünïcödé', 'a\\\\b "c" 😀', '${"x".repeat(300)}\\n', '{"k": "line\\\\nbreak \\\\"q\\\\""}')`;

/** Statements creating and filling `matrix_text` from `matrix` in `database`. */
export function textMatrixSql(database: string): string[] {
  const list = kept.join(", ");
  return [
    `CREATE TABLE ${database}.matrix_text LIKE ${database}.matrix`,
    `ALTER TABLE ${database}.matrix_text DROP COLUMN f, DROP COLUMN db, DROP COLUMN dbm`,
    `INSERT INTO ${database}.matrix_text (${list}) SELECT ${list} FROM ${database}.matrix`,
    `INSERT INTO ${database}.matrix_text (id, c, vc, vl, tx, lt, js) VALUES ${escapes}`,
  ];
}

/** Copies of the rows with ids below 100 at id + `offset` (written while a pipeline streams). */
export function textMatrixCopySql(database: string, offset: number): string {
  const rest = kept.slice(1).join(", ");
  return `INSERT INTO ${database}.matrix_text (${kept.join(", ")}) SELECT id + ${offset}, ${rest} FROM ${database}.matrix_text WHERE id < 100`;
}
