// The statements of online schema-change tools that the pipeline reads closely: an ALTER TABLE
// split into its table and its changes, so the changes a tool applied to its copy of a table
// can be sent as one ALTER of the real table, and the name of a trigger a statement creates or
// drops, so the tools' triggers can be told apart from the user's.
import { alterTableHead, qualified, qualifiedName, type TableName } from "./ddl-statement.js";
import { anyServer, storedName, type StatementDialect } from "./statement-dialect.js";
import { statementText } from "./statement-text.js";

const triggerPrefix = new RegExp(
  `^(?:create\\s+(?:or\\s+replace\\s+)?(?:definer\\s*=\\s*\\S+\\s+)?trigger\\s+(?:if\\s+not\\s+exists\\s+)?|drop\\s+trigger\\s+(?:if\\s+exists\\s+)?)${qualified}`,
  "iu",
);

/** An ALTER TABLE's table (named as the server stores it) and the text of its changes; null for any other statement. */
export function alterTable(sql: string, defaultDatabase: string, dialect = anyServer): { table: TableName; changes: string } | null {
  const text = statementText(sql, dialect);
  const match = alterTableHead.exec(text);
  if (!match) return null;
  const changes = text.slice(match[0].length).replace(/\s*;\s*$/, "");
  const { database, table } = qualifiedName(match, defaultDatabase);
  return changes === "" ? null : { table: { database: storedName(database, dialect), table: storedName(table, dialect) }, changes };
}

const quote = (identifier: string) => `\`${identifier.replace(/`/g, "``")}\``;

/** One ALTER TABLE of `table` making `changes` in order (each the text after an ALTER's table name). */
export function alterStatement(table: TableName, changes: readonly string[]): string {
  return `ALTER TABLE ${quote(table.database)}.${quote(table.table)} ${changes.join(", ")}`;
}

/** The trigger a CREATE TRIGGER or DROP TRIGGER names; null for any other statement. */
export function triggerName(sql: string, dialect: StatementDialect = anyServer): string | null {
  const match = triggerPrefix.exec(statementText(sql, dialect));
  return match ? qualifiedName(match, "").table : null;
}
