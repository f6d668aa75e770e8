// The canonical text of a SET value whose column declares the empty label ''. The server's text
// of a SET leaves '' out (SET('', 'é') holding 3, both labels, shows as 'é', as does 2), so
// that text cannot give canal the bitmask the server stores. The canonical text is therefore the
// server's, led by a `,` when the '' label is set: 'é' is 2, ',é' is 3, ',' is 1. No label
// holds a `,`, so the server's own text never starts with one. DTS Avro writes the server's text
// (serverSetText), canal the bitmask of the labels (setBitmask reads the lead as the '' label).
import type { ColumnInfo } from "../change-event.js";

/** Whether a SET column declares the label '' (only then may its canonical text start with `,`). */
export function declaresEmptyLabel(column: ColumnInfo): boolean {
  return column.labels?.includes("") === true;
}

/**
 * The canonical text of a SET value from its set labels, joined by `,` in declared order as the
 * binlog reader joins them ('' included: ',é', 'a,,b'; ',' when '' is the only one).
 */
export function setTextFromLabels(joined: string): string {
  if (!joined.includes(",") || !joined.split(",").includes("")) return joined;
  return `,${joined.split(",").filter((label) => label !== "").join(",")}`;
}

/** The text the server shows for a SET value: the canonical text without its lead. */
export function serverSetText(canonical: string): string {
  return canonical.startsWith(",") ? canonical.slice(1) : canonical;
}
