// The statements of online schema-change tools that the pipeline reads closely: an ALTER TABLE
// split into its table and its changes, so the changes a tool applied to its copy of a table
// can be sent as one ALTER of the real table, and the name of a trigger a statement creates or
// drops, so the tools' triggers can be told apart from the user's.
import { alterTableHead, qualified, qualifiedName, stripComments, type TableName } from "./ddl-statement.js";

const triggerPrefix = new RegExp(
  `^(?:create\\s+(?:or\\s+replace\\s+)?(?:definer\\s*=\\s*\\S+\\s+)?trigger\\s+(?:if\\s+not\\s+exists\\s+)?|drop\\s+trigger\\s+(?:if\\s+exists\\s+)?)${qualified}`,
  "iu",
);

/** An ALTER TABLE's table and the text of its changes; null for any other statement. */
export function alterTable(sql: string, defaultDatabase: string): { table: TableName; changes: string } | null {
  const text = stripComments(sql);
  const match = alterTableHead.exec(text);
  if (!match) return null;
  const changes = text.slice(match[0].length).replace(/\s*;\s*$/, "");
  return changes === "" ? null : { table: qualifiedName(match, defaultDatabase), changes };
}

const quote = (identifier: string) => `\`${identifier.replace(/`/g, "``")}\``;

/** One ALTER TABLE of `table` making `changes` in order (each the text after an ALTER's table name). */
export function alterStatement(table: TableName, changes: readonly string[]): string {
  return `ALTER TABLE ${quote(table.database)}.${quote(table.table)} ${changes.join(", ")}`;
}

/** The trigger a CREATE TRIGGER or DROP TRIGGER names; null for any other statement. */
export function triggerName(sql: string): string | null {
  const match = triggerPrefix.exec(stripComments(sql));
  return match ? qualifiedName(match, "").table : null;
}
