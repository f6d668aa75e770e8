// Data changes the binlog carries as SQL text instead of rows. The server's binlog_format = ROW
// is only the default: a privileged session may set STATEMENT or MIXED for itself, and MariaDB
// logs the emptying of a MEMORY table at its restart as a DELETE statement. The pipeline cannot
// turn such text into rows, so the stream names the statement's table and warns that those
// changes are not in Kafka (session/statement-warnings.ts) rather than passing over them.
import { qualified, qualifiedName, stripComments, type TableName } from "./ddl-statement.js";

export type DmlVerb = "INSERT" | "REPLACE" | "UPDATE" | "DELETE";

export interface DmlStatement {
  verb: DmlVerb;
  /** The one table the statement changes; null when it names several or is not understood. */
  target: TableName | null;
}

const insertLike = new RegExp(`^(insert|replace)\\s+(?:(?:low_priority|delayed|high_priority|ignore)\\s+)*(?:into\\s+)?${qualified}`, "iu");
const update = new RegExp(`^update\\s+(?:(?:low_priority|ignore)\\s+)*${qualified}(?:\\s+(?:as\\s+)?\\w+)?\\s*(?<next>,|\\bjoin\\b|\\bstraight_join\\b|\\bset\\b)`, "iu");
const deleteFrom = new RegExp(`^delete\\s+(?:(?:low_priority|quick|ignore)\\s+)*from\\s+${qualified}\\s*(?<next>,|\\busing\\b|\\bjoin\\b|\\bwhere\\b|\\border\\b|\\blimit\\b|\\breturning\\b|$)`, "iu");

/** The statement's verb and table when it changes rows; null for any other statement. */
export function dmlStatement(sql: string, defaultDatabase: string): DmlStatement | null {
  const text = stripComments(sql);
  const verb = /^(\w+)/.exec(text)?.[1]?.toUpperCase();
  if (verb === "INSERT" || verb === "REPLACE") {
    const match = insertLike.exec(text);
    return { verb, target: match ? qualifiedName(match, defaultDatabase, 2) : null };
  }
  if (verb === "UPDATE") {
    const match = update.exec(text);
    const single = match !== null && /^set$/i.test(match.groups?.next ?? "");
    return { verb, target: single && match ? qualifiedName(match, defaultDatabase) : null };
  }
  if (verb === "DELETE") {
    const match = deleteFrom.exec(text);
    const several = match === null || /^(,|using|join)$/i.test(match.groups?.next ?? "");
    return { verb, target: !several && match ? qualifiedName(match, defaultDatabase) : null };
  }
  return null;
}
