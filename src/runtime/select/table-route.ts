// Everything the pipeline needs to turn one source table's rows into messages: the mapping
// (renames, columns, topic), the compiled row filter and the partitioner. Built once per
// TableInfo (a reload after DDL gives a new TableInfo and so a new route).
import type { RowImage, RowOperation, TableInfo } from "../change-event.js";
import type { ObjectRule, PartitionPolicy, Pipeline } from "../../generated/plan.js";
import { rowIdentityColumns } from "../encode/message-key.js";
import type { ZoneClock } from "../encode/time-zone.js";
import { keyColumnIndexes, rowPartitioner, type RowPartitioner } from "../sink/partitioner.js";
import { columnProblemError, isColumnProblem, partitionColumns } from "./column-names.js";
import { compileFilter, type FilterContext, type RowPredicate } from "./filter.js";
import { mapTable, type TableMapping } from "./row-mapper.js";

export interface TableRoute {
  rule: ObjectRule;
  mapping: TableMapping;
  /** Evaluated on source images, before projection. */
  filter: RowPredicate | null;
  partitioner: RowPartitioner;
  /** Columns of the target table whose values the message key and the partitioner read. */
  keyColumns: readonly number[];
  /** Columns of the target table that make the message key ([] when rows have no key). */
  identity: readonly number[];
}

export interface RouteSettings {
  defaultTopic: string;
  policy: PartitionPolicy;
  filterContext: FilterContext;
}

/**
 * The policy with a columns-hash's names spelled as in the messages. A rule's own policy naming a
 * column the messages lack is an error; the pipeline's, which applies to every table, leaves such
 * a table on partition 0.
 */
function tablePolicy(table: TableInfo, rule: ObjectRule, mapping: TableMapping, pipelinePolicy: PartitionPolicy): PartitionPolicy {
  const policy = rule.partition ?? pipelinePolicy;
  if (policy.policy !== "columns-hash") return policy;
  const choice = { keep: [...mapping.sourceIndexes], names: mapping.target.columns.map((c) => c.name) };
  const hashed = partitionColumns(policy.columns, table.columns.map((c) => c.name), choice);
  if (!isColumnProblem(hashed)) return { ...policy, columns: hashed as [string, ...string[]] };
  if (rule.partition !== null) throw columnProblemError(hashed, rule, `${table.database}.${table.table}`);
  return policy;
}

export function buildRoute(table: TableInfo, rule: ObjectRule, settings: RouteSettings): TableRoute {
  const mapping = mapTable(table, rule, settings.defaultTopic);
  const where = rule.origin ? `row filter at ${rule.origin.file}:${rule.origin.line}:${rule.origin.column}` : "row filter";
  const policy = tablePolicy(table, rule, mapping, settings.policy);
  const identity = rowIdentityColumns(mapping.target);
  return {
    rule,
    mapping,
    filter: rule.filter === null ? null : compileFilter(rule.filter.expr, table, settings.filterContext, where),
    partitioner: rowPartitioner(policy, mapping.target, mapping.sourceNames),
    keyColumns: [...new Set([...identity, ...keyColumnIndexes(policy, mapping.target, mapping.sourceNames)])],
    identity,
  };
}

export interface FilteredChange {
  operation: RowOperation;
  before: RowImage | null;
  after: RowImage | null;
}

/**
 * DTS row-filter semantics: an insert or delete passes when its row passes; an update whose new
 * row leaves the filter becomes a delete of the old row, one whose new row enters it becomes an
 * insert of the new row, and one outside before and after is dropped.
 */
export function applyFilter(filter: RowPredicate | null, operation: RowOperation, before: RowImage | null, after: RowImage | null): FilteredChange | null {
  if (filter === null) return { operation, before, after };
  if (operation === "insert") return filter(after as RowImage) === true ? { operation, before, after } : null;
  if (operation === "delete") return filter(before as RowImage) === true ? { operation, before, after } : null;
  const was = filter(before as RowImage) === true;
  const is = filter(after as RowImage) === true;
  if (was && is) return { operation, before, after };
  if (was) return { operation: "delete", before, after: null };
  if (is) return { operation: "insert", before: null, after };
  return null;
}

/** Caches routes by TableInfo identity, so a reloaded table gets a fresh route. */
export class RouteCache {
  readonly #routes = new WeakMap<TableInfo, TableRoute>();
  readonly #settings: RouteSettings;

  constructor(settings: RouteSettings) {
    this.#settings = settings;
  }

  /** A pipeline's routes: its topic and partition policy, row filters in the source's time zone. */
  static forPipeline(pipeline: Pipeline, sourceZone: ZoneClock): RouteCache {
    return new RouteCache({ defaultTopic: pipeline.destination.topic, policy: pipeline.partition, filterContext: { zone: sourceZone } });
  }

  routeFor(table: TableInfo, rule: ObjectRule): TableRoute {
    let route = this.#routes.get(table);
    if (!route || route.rule !== rule) {
      route = buildRoute(table, rule, this.#settings);
      this.#routes.set(table, route);
    }
    return route;
  }
}
