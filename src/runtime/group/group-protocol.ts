// What workers of a group tell each other through the broker's group coordinator. Each member
// joins with its metadata (which pipelines it can run, which it runs now, where it serves its
// status); the leader the coordinator picks answers with each member's assignment. Both travel
// as the opaque bytes of Kafka's group protocol, under our own protocol type, the way Kafka
// Connect's workers use "connect" rather than the consumers' topic-partition protocol.

/** The protocol type the coordinator keeps the group under; a consumer group of that name is refused. */
export const PROTOCOL_TYPE = "dts";
/** The assignment strategy: balanced, sticky (assignment.ts). */
export const PROTOCOL_NAME = "dts-sticky-1";

export interface MemberMetadata {
  /** The worker's id (`--worker-id`), shown by `dts status --group`. */
  worker: string;
  /** Every pipeline the worker's specs declare, with a fingerprint of its plan. */
  pipelines: Record<string, string>;
  /** The pipelines it runs now, so a rebalance leaves them where they are. */
  owned: string[];
  /** Where its /status answers, or null when it serves none reachable. */
  status: string | null;
}

export interface MemberAssignment {
  pipelines: string[];
}

export function encodeMetadata(metadata: MemberMetadata): Buffer {
  return Buffer.from(JSON.stringify({ version: 1, ...metadata }));
}

/** A member's metadata; null when it is not ours or is damaged (such a member gets nothing). */
export function decodeMetadata(bytes: Buffer | null | undefined): MemberMetadata | null {
  const value = parse(bytes);
  if (!value || typeof value.worker !== "string" || !isStringRecord(value.pipelines) || !isStringArray(value.owned)) return null;
  const status = typeof value.status === "string" ? value.status : null;
  return { worker: value.worker, pipelines: value.pipelines, owned: value.owned, status };
}

export function encodeAssignment(assignment: MemberAssignment): Buffer {
  return Buffer.from(JSON.stringify({ version: 1, ...assignment }));
}

/** An empty assignment (what a member gets while the group has none for it) decodes to no pipelines. */
export function decodeAssignment(bytes: Buffer | null | undefined): MemberAssignment {
  const value = parse(bytes);
  return { pipelines: value && isStringArray(value.pipelines) ? value.pipelines : [] };
}

function parse(bytes: Buffer | null | undefined): Record<string, unknown> | null {
  if (!bytes || bytes.length === 0) return null;
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}
