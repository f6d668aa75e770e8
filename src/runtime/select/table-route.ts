// Everything the pipeline needs to turn one source table's rows into messages: the mapping
// (renames, columns, topic), the compiled row filter and the partitioner. Built once per
// TableInfo (a reload after DDL gives a new TableInfo and so a new route).
import type { RowImage, RowOperation, TableInfo } from "../change-event.js";
import type { ObjectRule, PartitionPolicy, Pipeline } from "../../generated/plan.js";
import { rowIdentityColumns } from "../encode/message-key.js";
import { keyColumnIndexes, rowPartitioner, type RowPartitioner } from "../sink/partitioner.js";
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
}

export interface RouteSettings {
  defaultTopic: string;
  policy: PartitionPolicy;
  filterContext: FilterContext;
}

export function buildRoute(table: TableInfo, rule: ObjectRule, settings: RouteSettings): TableRoute {
  const mapping = mapTable(table, rule, settings.defaultTopic);
  const where = rule.origin ? `row filter at ${rule.origin.file}:${rule.origin.line}:${rule.origin.column}` : "row filter";
  const policy = rule.partition ?? settings.policy;
  return {
    rule,
    mapping,
    filter: rule.filter === null ? null : compileFilter(rule.filter.expr, table, settings.filterContext, where),
    partitioner: rowPartitioner(policy, mapping.target, mapping.sourceNames),
    keyColumns: [...new Set([...rowIdentityColumns(mapping.target), ...keyColumnIndexes(policy, mapping.target, mapping.sourceNames)])],
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

  /** A pipeline's routes: its topic and partition policy, row filters at the source zone's offset. */
  static forPipeline(pipeline: Pipeline, timezoneOffsetSeconds: number): RouteCache {
    return new RouteCache({ defaultTopic: pipeline.destination.topic, policy: pipeline.partition, filterContext: { timezoneOffsetSeconds } });
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
