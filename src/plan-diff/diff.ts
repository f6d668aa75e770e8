// Two compiled plans in, the list of changes out: pipelines matched by name (or as a rename),
// each compared setting by setting and table by table, then the topics the new plan adds.
// Pure: no I/O, no compiler; locations come from what compile() returned for each side.
import type { Pipeline, SourceLocation } from "../generated/plan.js";
import { writtenTopics, ruleTopic } from "../plan/index.js";
import type { Draft, PlanChange, PlanSide } from "./change.js";
import { matchPipelines } from "./match.js";
import { pipelineChanges } from "./pipelines.js";

/** The first of `at` the spec wrote, else the closest enclosing value it wrote, else the pipeline. */
function locate(side: PlanSide, index: number, at: readonly string[]): SourceLocation {
  const locations = side.locations ?? {};
  const prefix = `/pipelines/${index}`;
  for (const path of at) {
    const found = locations[`${prefix}/${path}`];
    if (found) return found;
  }
  const parts = (at[0] ?? "").split("/");
  for (let n = parts.length - 1; n > 0; n--) {
    const found = locations[`${prefix}/${parts.slice(0, n).join("/")}`];
    if (found) return found;
  }
  return locations[prefix] ?? (side.plan.pipelines[index] as Pipeline).origin;
}

function secretPaths(base: PlanSide, baseIndex: number, next: PlanSide, nextIndex: number): string[] {
  const relative = (secrets: Record<string, string> | undefined, index: number) =>
    new Map(Object.entries(secrets ?? {}).flatMap(([pointer, value]) => (pointer.startsWith(`/pipelines/${index}/`) ? [[pointer.slice(`/pipelines/${index}/`.length), value] as const] : [])));
  const a = relative(base.literalSecrets, baseIndex);
  const b = relative(next.literalSecrets, nextIndex);
  return [...new Set([...a.keys(), ...b.keys()])].filter((path) => a.get(path) !== b.get(path));
}

function pipelineAdded(pipeline: Pipeline): Draft {
  const why = pipeline.initialSync.data ? "it starts with an initial sync of its tables, then streams their changes" : "it streams changes from its start position";
  return { change: "pipeline added", severity: "caution", why, from: null, to: pipeline.name, at: ["name"] };
}

function pipelineRemoved(pipeline: Pipeline): Draft {
  return { change: "pipeline removed", severity: "caution", why: "its tables stop streaming; its checkpoint stays where it was", from: pipeline.name, to: null, at: ["name"], side: "base" };
}

/** Topics the new plan writes and the base wrote nowhere. */
function newTopics(base: PlanSide, pipeline: Pipeline, reported: Set<string>): Draft[] {
  const known = new Set(base.plan.pipelines.flatMap((p) => writtenTopics(p).map((t) => t.name)));
  return writtenTopics(pipeline).flatMap((topic): Draft[] => {
    if (known.has(topic.name) || reported.has(topic.name)) return [];
    reported.add(topic.name);
    const at = [
      ...pipeline.objects.flatMap((rule, i) => (ruleTopic(pipeline, rule) === topic.name ? [`objects/${i}/target/topic`] : [])),
      ...(pipeline.destination.topic === topic.name ? ["destination/topic"] : []),
      ...(pipeline.destination.ddlTopic === topic.name ? ["destination/ddlTopic"] : []),
      ...(pipeline.checkpoint.topic === topic.name ? ["checkpoint/topic"] : []),
    ];
    const why =
      topic.whenMissing === "create"
        ? `the run creates it when missing${topic.compacted ? " (compacted, one partition)" : ` with ${pipeline.destination.createTopics.partitions} partition(s)`}`
        : "it must exist before the run starts: create_topics is off";
    return [{ change: "new topic", severity: "caution", why, from: null, to: topic.name, at }];
  });
}

export function diffPlans(base: PlanSide, next: PlanSide): PlanChange[] {
  const changes: PlanChange[] = [];
  const emit = (drafts: Draft[], name: string, index: { base: number | null; next: number | null }) => {
    for (const { at, side = "new", table = null, ...draft } of drafts) {
      const onBase = side === "base" || index.next === null;
      const where = onBase ? locate(base, index.base as number, at) : locate(next, index.next as number, at);
      changes.push({ pipeline: name, table, ...draft, file: where.file, line: where.line, column: where.column, side: onBase ? "base" : "new" });
    }
  };
  const reported = new Set<string>();
  for (const pair of matchPipelines(base.plan.pipelines, next.plan.pipelines)) {
    const b = pair.base === null ? undefined : base.plan.pipelines[pair.base];
    const n = pair.next === null ? undefined : next.plan.pipelines[pair.next];
    if (b && n) {
      const secrets = secretPaths(base, pair.base as number, next, pair.next as number);
      emit(pipelineChanges({ base: b, next: n, renamed: pair.renamed, secretPaths: secrets }), n.name, pair);
    } else if (n) emit([pipelineAdded(n)], n.name, pair);
    else if (b) emit([pipelineRemoved(b)], b.name, pair);
    if (n) emit(newTopics(base, n, reported), n.name, pair);
  }
  return changes;
}
