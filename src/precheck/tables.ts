// Prechecks on the selected tables: every exact rule names something that exists, patterns
// that match nothing are flagged, and each selected table has a key and a supported engine.
import type { NameMatcher, ObjectRule, Pipeline } from "../generated/plan.js";
import { ObjectSelector } from "../runtime/select/object-selector.js";
import { SYSTEM_VERSIONING_FIX, SYSTEM_VERSIONING_REASON } from "../runtime/source/table-schema.js";
import { fail, notChecked, pass, skipped, someOf, warn, type CheckResult } from "./check-result.js";
import { ruleTopic } from "../plan/topics.js";
import type { TopicFacts } from "./kafka-checks.js";
import { accountForGrant, type SourceFacts, type TableFacts } from "./source-facts.js";

/** Engines whose changes never reach the binlog as rows of this server. */
const unsupportedEngines: Record<string, string> = {
  FEDERATED: "its rows live on another server",
  MRG_MYISAM: "a MERGE table has no rows of its own",
  BLACKHOLE: "it stores nothing, so an initial sync reads no rows",
};

function describeMatcher(matcher: NameMatcher): string {
  return "exact" in matcher ? `"${matcher.exact}"` : `match("${matcher.pattern}")`;
}

function describeRule(rule: ObjectRule): string {
  const where = `${rule.origin.file}:${rule.origin.line}:${rule.origin.column}`;
  const table = rule.table === null ? "" : ` table ${describeMatcher(rule.table)}`;
  return `database ${describeMatcher(rule.database)}${table} (${where})`;
}

export function qualified(t: Pick<TableFacts, "database" | "table">): string {
  return `${t.database}.${t.table}`;
}

/** The base tables the pipeline reads: those the first matching rule selects. */
export function selectedTables(pipeline: Pipeline, tables: readonly TableFacts[]): TableFacts[] {
  const selector = new ObjectSelector(pipeline.objects);
  return tables.filter((t) => !t.isView && !t.isSequence && selector.ruleFor(t.database, t.table) !== null);
}

export function checkTablesExist(facts: SourceFacts, pipeline: Pipeline): CheckResult {
  if (!facts.tables.ok || !facts.databases.ok) return notChecked("tables-exist", `information_schema cannot be read (${facts.tables.ok ? "" : facts.tables.error})`);
  const tables = facts.tables.value;
  const databases = facts.databases.value;
  const missing: string[] = [];
  const views: string[] = [];
  const emptyPatterns: string[] = [];
  // Exact rules are looked up by name: a spec may list 100,000 tables, and testing every rule
  // against every table would take rules × tables steps. Only patterns are tested one by one.
  const databaseNames = new Set(databases);
  const byName = new Map(tables.map((t) => [`${t.database}\u0000${t.table}`, t]));
  for (const rule of pipeline.objects) {
    const { database, table } = rule;
    if (table === null && "exact" in database) {
      if (!databaseNames.has(database.exact)) missing.push(describeRule(rule));
      continue;
    }
    const key = "exact" in database && table !== null && "exact" in table ? `${database.exact}\u0000${table.exact}` : undefined;
    const named = key === undefined ? undefined : byName.get(key);
    const pattern = key === undefined ? new ObjectSelector([rule]) : undefined;
    const matched = pattern ? tables.filter((t) => pattern.ruleFor(t.database, t.table) !== null) : named ? [named] : [];
    if (matched.length > 0 && matched.every((t) => t.isView || t.isSequence)) views.push(describeRule(rule));
    else if (matched.length === 0) (pattern ? emptyPatterns : missing).push(describeRule(rule));
  }
  const visible = "(or the account cannot see it: information_schema only lists objects it has a privilege on)";
  if (missing.length > 0) return fail("tables-exist", `nothing on the source matches ${someOf(missing)} ${visible}`, "create the table or database, fix the name in the spec, or grant SELECT on it");
  if (views.length > 0) return fail("tables-exist", `${someOf(views)} names a view or a sequence; neither has rows of its own to stream`, "select the view's base tables instead, and leave sequences out");
  const count = selectedTables(pipeline, tables).length;
  if (emptyPatterns.length > 0) return warn("tables-exist", `${someOf(emptyPatterns)} matches no table today; ${count} table(s) are selected`, "check the pattern; tables created later are picked up when they match");
  return pass("tables-exist", `${count} table(s) selected, every rule matches`);
}

export function checkTableKeys(facts: SourceFacts, pipeline: Pipeline): CheckResult {
  if (!facts.tables.ok) return skipped("table-keys", "information_schema cannot be read");
  const selected = selectedTables(pipeline, facts.tables.value);
  const keyless = selected.filter((t) => !t.hasPrimaryKey && !t.hasUniqueKey).map(qualified);
  if (keyless.length > 0) {
    return warn(
      "table-keys",
      `${someOf(keyless)} ${keyless.length === 1 ? "has" : "have"} neither a primary key nor a unique key of NOT NULL columns: rows go out without a message key, consumers cannot tell rows apart, a replay after a restart duplicates them, and primary-key-hash partitioning sends them all to partition 0`,
      "add a primary key (ALTER TABLE ... ADD PRIMARY KEY (...)), or accept duplicates downstream (a nullable unique key does not name a row: any number of rows may hold NULL)",
    );
  }
  const uniqueOnly = selected.filter((t) => !t.hasPrimaryKey).length;
  return pass("table-keys", `all ${selected.length} selected table(s) have a key${uniqueOnly ? ` (${uniqueOnly} by a unique key only)` : ""}`);
}

/**
 * A failed table-keys check when a selected table without a key goes to a compacted topic:
 * its rows have no message key, and Kafka refuses a message without one on such a topic, so
 * the run would stop at the table's first row. Null when there is none (or facts are missing).
 */
export function checkKeylessOnCompacted(facts: SourceFacts, pipeline: Pipeline, topics: Pick<TopicFacts, "compacted">): CheckResult | null {
  if (!facts.tables.ok || !topics.compacted || topics.compacted.size === 0) return null;
  const selector = new ObjectSelector(pipeline.objects);
  const refused = selectedTables(pipeline, facts.tables.value).flatMap((t) => {
    if (t.hasPrimaryKey || t.hasUniqueKey) return [];
    const rule = selector.ruleFor(t.database, t.table);
    const topic = rule ? ruleTopic(pipeline, rule) : pipeline.destination.topic;
    return topics.compacted?.has(topic) ? [`${qualified(t)} (topic ${topic})`] : [];
  });
  if (refused.length === 0) return null;
  return fail(
    "table-keys",
    `${someOf(refused)} ${refused.length === 1 ? "has" : "have"} no key and ${refused.length === 1 ? "goes" : "go"} to a compacted topic (cleanup.policy=compact): its rows go out without a message key, which Kafka refuses on a compacted topic`,
    "give the table a primary key (or a unique key of NOT NULL columns), or send it to a topic that is not compacted (topic = \"...\" in its table block)",
  );
}

export function checkTableEngines(facts: SourceFacts, pipeline: Pipeline): CheckResult {
  if (!facts.tables.ok) return skipped("table-engines", "information_schema cannot be read");
  const selected = selectedTables(pipeline, facts.tables.value);
  const bad = selected.flatMap((t) => {
    const engine = (t.engine ?? "").toUpperCase();
    const why = unsupportedEngines[engine];
    return why ? [`${qualified(t)} uses ${t.engine} (${why})`] : [];
  });
  if (bad.length > 0) return fail("table-engines", someOf(bad, 3), "convert the tables to InnoDB (ALTER TABLE ... ENGINE = InnoDB), or leave them out of the spec");
  const versioned = selected.filter((t) => t.systemVersioned).map(qualified);
  if (versioned.length > 0) return fail("table-engines", `${someOf(versioned, 3)} ${versioned.length === 1 ? "is" : "are"} ${SYSTEM_VERSIONING_REASON}`, SYSTEM_VERSIONING_FIX);
  const engines = [...new Set(selected.map((t) => t.engine ?? "unknown"))].sort();
  return pass("table-engines", selected.length ? `engines in use: ${engines.join(", ")}` : "no tables selected");
}

/**
 * Foreign-key cascades: the changes ON DELETE CASCADE or ON UPDATE SET NULL make to a child
 * table are done inside the storage engine, and neither MariaDB nor MySQL writes them to the
 * binlog, so no binlog reader sees them (only the parent's own row change is logged). A key
 * whose rules the account cannot see is named too: passing it would claim what was not looked at.
 */
export function checkForeignKeyCascades(facts: SourceFacts, pipeline: Pipeline): CheckResult {
  if (!facts.tables.ok) return skipped("foreign-key-cascades", "information_schema cannot be read");
  const selected = selectedTables(pipeline, facts.tables.value);
  const cascading = selected.filter((t) => t.cascades.length > 0).map((t) => `${qualified(t)} by ${t.cascades.join(", ")}`);
  const unread = selected.filter((t) => t.unreadForeignKeys.length > 0).map((t) => `${qualified(t)} (${t.unreadForeignKeys.join(", ")})`);
  const unreadText = `the ON DELETE / ON UPDATE rules of the foreign keys of ${someOf(unread, 3)} could not be read (information_schema.REFERENTIAL_CONSTRAINTS shows them only to an account with SHOW VIEW)`;
  const grant = `GRANT SHOW VIEW ON *.* TO ${accountForGrant(facts.currentUser)}; and run the precheck again`;
  if (cascading.length > 0) {
    return warn(
      "foreign-key-cascades",
      `the server does not write to the binlog what foreign-key cascades change, so these changes never reach Kafka: ${someOf(cascading, 3)}${unread.length > 0 ? `; ${unreadText}` : ""}`,
      `have the application delete or update the child rows itself (each then logged), run an initial sync of the table after such changes, or accept that consumers miss them${unread.length > 0 ? `; to see the other rules: ${grant}` : ""}`,
    );
  }
  if (unread.length > 0) return notChecked("foreign-key-cascades", unreadText, `${grant} (a cascade would change rows without a binlog entry, and consumers would miss those changes)`);
  return pass("foreign-key-cascades", "no foreign key changes a selected table's rows by itself");
}
