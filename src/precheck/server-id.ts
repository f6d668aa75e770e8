// The binlog client's server id must be unique among everything that replicates from the
// source: the server's own id, other pipelines of the plan, and replicas connected right now.
// A clash makes the server drop one of the two connections, each time the other reconnects.
import type { ExecutionPlan } from "../generated/plan.js";
import { resolveSetting } from "../runtime/secrets.js";
import { fail, pass, warn, type CheckResult } from "./check-result.js";
import type { SourceFacts } from "./source-facts.js";

/** host:port of a pipeline's source, or null when its settings cannot be resolved here. */
export function sourceAddress(plan: ExecutionPlan, index: number, env: NodeJS.ProcessEnv = process.env): string | null {
  const pipeline = plan.pipelines[index];
  if (!pipeline) return null;
  const { source, name } = pipeline;
  try {
    return `${resolveSetting(source.host, { name: "source host", pipeline: name }, env)}:${resolveSetting(source.port, { name: "source port", pipeline: name }, env)}`;
  } catch {
    return null;
  }
}

export function checkServerId(facts: SourceFacts, plan: ExecutionPlan, index: number, env: NodeJS.ProcessEnv = process.env): CheckResult {
  const pipeline = plan.pipelines[index] as ExecutionPlan["pipelines"][number];
  const ours = pipeline.source.serverId;
  const serverOwn = Number(facts.variables.server_id ?? "0");
  if (!serverOwn) return fail("server-id", "the source's server_id is 0; a server with binary logging needs a non-zero server_id", "set server_id = 1 (any id unique in the replication topology) in my.cnf and restart the server");
  if (serverOwn === ours) return fail("server-id", `the pipeline's server_id ${ours} is the source's own server_id`, `set a different server_id in the pipeline's source block (e.g. ${ours + 1000})`);
  const address = sourceAddress(plan, index, env);
  const sharing = plan.pipelines.filter((other, i) => i !== index && other.source.serverId === ours && address !== null && sourceAddress(plan, i, env) === address);
  if (sharing.length > 0) {
    return fail("server-id", `pipeline "${sharing[0]?.name}" reads the same source (${address}) with the same server_id ${ours}`, "give each pipeline reading this server its own server_id");
  }
  if (!facts.replicas.ok) {
    const privilege = facts.isMariaDb ? "REPLICATION MASTER ADMIN" : "REPLICATION SLAVE";
    return warn("server-id", `server_id ${ours} differs from the source's (${serverOwn}); connected replicas could not be listed (${facts.replicas.error})`, `make sure no replica uses server_id ${ours}, or GRANT ${privilege} ON *.* to the account so the precheck can list them`);
  }
  const replica = facts.replicas.value.find((r) => r.serverId === ours);
  if (replica) {
    const where = replica.host ? ` (${replica.host}:${replica.port})` : "";
    return fail("server-id", `a replica${where} connected to the source already uses server_id ${ours}`, "set a server_id in the pipeline's source block that no replica uses");
  }
  return pass("server-id", `server_id ${ours} differs from the source's (${serverOwn}) and from ${facts.replicas.value.length} connected replica(s)`);
}
