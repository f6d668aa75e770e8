// The binlog client's server id must be unique among everything that replicates from the
// source: the server's own id, other pipelines of the plan reading the same server, and
// replicas connected right now. A clash makes the server drop one of the two connections, each
// time the other reconnects. A pure rule over facts the precheck reads; where the spec chose
// the clashing id, the result points at the pipeline.
import type { ExecutionPlan, SourceLocation } from "../generated/plan.js";

export interface ServerIdFacts {
  isMariaDb: boolean;
  /** Global variables by lower-case name; `server_id` is read. */
  variables: Record<string, string>;
  /** The replicas connected now, or why they could not be listed. */
  replicas: { ok: true; value: readonly { serverId: number; host: string; port: number }[] } | { ok: false; error: string };
}

export interface ServerIdResult {
  id: "server-id";
  status: "pass" | "warn" | "fail";
  reason: string;
  fix: string | null;
  /** The pipeline whose server_id clashes, when the spec can change it. */
  location?: SourceLocation;
}

/**
 * Checks the server id of the plan's pipeline at `index`. `addresses` holds each pipeline's
 * source as host:port, resolved by the caller (null where it cannot be resolved), so pipelines
 * reading one server through different env() references are still compared.
 */
export function checkServerId(facts: ServerIdFacts, plan: ExecutionPlan, index: number, addresses: readonly (string | null)[]): ServerIdResult {
  const pipeline = plan.pipelines[index] as ExecutionPlan["pipelines"][number];
  const ours = pipeline.source.serverId;
  const inSpec = (status: "warn" | "fail", reason: string, fix: string): ServerIdResult => ({ id: "server-id", status, reason, fix, location: pipeline.origin });
  const serverOwn = Number(facts.variables.server_id ?? "0");
  if (!serverOwn) {
    return { id: "server-id", status: "fail", reason: "the source's server_id is 0; a server with binary logging needs a non-zero server_id", fix: "set server_id = 1 (any id unique in the replication topology) in my.cnf and restart the server" };
  }
  if (serverOwn === ours) return inSpec("fail", `the pipeline's server_id ${ours} is the source's own server_id`, `set a different server_id in the pipeline's source block (e.g. ${ours + 1000})`);
  const address = addresses[index] ?? null;
  const sharing = plan.pipelines.filter((other, i) => i !== index && other.source.serverId === ours && address !== null && addresses[i] === address);
  if (sharing.length > 0) {
    return inSpec("fail", `pipeline "${sharing[0]?.name}" reads the same source (${address}) with the same server_id ${ours}`, "give each pipeline reading this server its own server_id");
  }
  if (!facts.replicas.ok) {
    const privilege = facts.isMariaDb ? "REPLICATION MASTER ADMIN" : "REPLICATION SLAVE";
    return {
      id: "server-id",
      status: "warn",
      reason: `server_id ${ours} differs from the source's (${serverOwn}); connected replicas could not be listed (${facts.replicas.error})`,
      fix: `make sure no replica uses server_id ${ours}, or GRANT ${privilege} ON *.* to the account so the precheck can list them`,
    };
  }
  const replica = facts.replicas.value.find((r) => r.serverId === ours);
  if (replica) {
    const where = replica.host ? ` (${replica.host}:${replica.port})` : "";
    return inSpec("fail", `a replica${where} connected to the source already uses server_id ${ours}`, "set a server_id in the pipeline's source block that no replica uses");
  }
  return { id: "server-id", status: "pass", reason: `server_id ${ours} differs from the source's (${serverOwn}) and from ${facts.replicas.value.length} connected replica(s)`, fix: null };
}
