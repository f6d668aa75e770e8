// Which tables and triggers belong to an online schema-change tool rather than to the user, by
// their default names. pt-online-schema-change copies a table into `_t_new`, renames the
// original to `_t_old` (adding leading underscores, then random six-character prefixes, while a
// name is taken) and keeps them in step with triggers `pt_osc_<db>_<t>_ins|upd|del`. gh-ost
// copies into `_t_gho`, logs its progress in `_t_ghc` (and checkpoints in `_t_ghk`) and renames
// the original to `_t_del` (`_t_<timestamp>_del` with --timestamp-old-table). Their rows are
// copies of the real table's, so patterns never select them; an exact table name in a spec
// still does (the user asked).
// Decided here once: the runtime, the initial sync, the precheck and the compiler's rule
// checks all ask this module.
import type { NameMatcher } from "../generated/plan.js";
import { nameTest, type NameTest } from "./name-pattern.js";

const helperTable = /^(?:[A-Z0-9]{6}_)*_.+_(?:new|old|gho|ghc|ghk|del)$/s;
const helperTrigger = /^pt_osc_.+_(?:ins|upd|del)$/s;

/** Whether `table` is named as a schema-change tool's shadow, changelog or old table. */
export function isSchemaChangeHelperTable(table: string): boolean {
  return helperTable.test(table);
}

/** Whether `trigger` is one of pt-online-schema-change's triggers. */
export function isSchemaChangeHelperTrigger(trigger: string): boolean {
  return helperTrigger.test(trigger);
}

/**
 * The test a rule's table matcher stands for in table selection: an exact name accepts that
 * table; a pattern, or no matcher (all tables), accepts what it matches except tools' tables.
 */
export function tableSelectionTest(matcher: NameMatcher | null): NameTest {
  if (matcher !== null && "exact" in matcher) return nameTest(matcher);
  const matches = matcher === null ? () => true : nameTest(matcher);
  return (table) => !isSchemaChangeHelperTable(table) && matches(table);
}
