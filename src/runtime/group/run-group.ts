// `dts run --group`: one worker of a group. It joins the group on the Kafka cluster of its
// pipelines, runs the pipelines the group assigns it, serves its status and metrics (labelled
// with its worker id) for `dts status --group`, and on SIGINT/SIGTERM stops its pipelines
// cleanly before it leaves, so the others take them over from a committed checkpoint.
import { hostname } from "node:os";
import type { ExecutionPlan } from "../../generated/plan.js";
import type { PipelineConnections } from "../connections.js";
import { asRuntimeError, describeError, RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { createMetrics, startObservabilityServer, type ObservabilityServer } from "../observe/index.js";
import type { PipelineResult } from "../pipeline.js";
import { createKafka } from "../sink/kafka-client.js";
import { KafkaCluster } from "../sink/kafka-cluster.js";
import { refuseForeignGroup } from "./describe-group.js";
import { GroupMember } from "./group-member.js";
import { groupPlan, pipelineFingerprints, type GroupIdentity } from "./group-plan.js";
import { GroupWorker } from "./group-worker.js";
import { createPipelineRunner, type RunnerSettings } from "../runner-factory.js";

export interface GroupRunOptions extends RunnerSettings {
  identity: GroupIdentity;
  /** The coordinator drops a worker it has not heard from for this long; its pipelines then move. */
  sessionTimeoutMs: number;
  /** Connection settings by pipeline name, resolved before anything connects. */
  connections: ReadonlyMap<string, PipelineConnections>;
  log: Logger;
  /** Where /status and /metrics are served; `dts status --group` finds a worker's status there. */
  http: { host: string; port: number };
  /** Stop cleanly on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/** Runs one worker of the group until it is stopped; "failed" only when it cannot be a member at all. */
export async function runGroupWorker(plan: ExecutionPlan, options: GroupRunOptions): Promise<PipelineResult> {
  // From the first moment: joining may take seconds, and a signal must not find the default action meanwhile.
  const signals = options.handleSignals !== false ? listenForSignals(options.log) : null;
  try {
    return await joinAndRun(plan, options, signals?.stopped ?? new Promise<void>(() => undefined));
  } finally {
    signals?.release();
  }
}

async function joinAndRun(plan: ExecutionPlan, options: GroupRunOptions, stopped: Promise<void>): Promise<PipelineResult> {
  const { identity, log } = options;
  const fingerprints = pipelineFingerprints(plan);
  const workerPlan = groupPlan(plan, identity);
  const metrics = createMetrics({ labels: { worker: identity.worker } });
  // Pipelines start only once the group assigns them, after the server below is up.
  let server: ObservabilityServer | null = null;
  const worker = new GroupWorker((name) => {
    const index = workerPlan.pipelines.findIndex((p) => p.name === name);
    const connections = options.connections.get(name);
    if (index < 0 || !connections) return { runner: null, done: Promise.resolve({ phase: "stopped" as const, error: null }) };
    const runner = createPipelineRunner(workerPlan, index, connections, options, { log, metrics });
    if (server) runner.setHttpEndpoint({ host: server.host, port: server.port });
    return { runner, done: runner.run() };
  }, log);
  server = await startObservabilityServer({ ...options.http, metrics, statusProvider: () => worker.statuses(), identity: { group: identity.group, worker: identity.worker } });
  const statusUrl = `http://${advertisedHost(server.host)}:${server.port}/status`;
  // Its own connections: a JoinGroup waits out a rebalance, and would hold up anything behind it.
  const cluster = new KafkaCluster(createKafka({ ...groupConnections(plan, options.connections).kafka, clientId: `dts-${identity.group}-${identity.worker}` }, log));
  const member = new GroupMember({
    cluster,
    groupId: identity.group,
    sessionTimeoutMs: options.sessionTimeoutMs,
    metadata: () => ({ worker: identity.worker, pipelines: fingerprints, owned: worker.owned(), status: statusUrl }),
    onAssignment: (a) => {
      log.info({ generation: a.generation, pipelines: a.pipelines, leader: a.leader }, `the group assigned ${a.pipelines.length} pipeline(s) to this worker`);
      worker.apply(a.pipelines);
    },
    onLost: () => worker.apply([]),
    log,
  });
  log.info({ group: identity.group, worker: identity.worker, status: statusUrl }, "joining the group; its pipelines write in Kafka transactions");
  try {
    const start = await Promise.race([checkGroup(cluster, identity.group, log), stopped.then(() => "stopped" as const)]);
    if (start === "stopped") log.info("stopped before joining the group");
    if (start !== "join") return start === "stopped" ? { phase: "stopped", error: null } : { phase: "failed", error: start };
    return await runUntilStopped(member, worker, stopped, log);
  } finally {
    await cluster.disconnect().catch(() => undefined);
    await server?.close();
  }
}

/** The group meets on the Kafka cluster of the plan's first pipeline. */
export function groupConnections(plan: ExecutionPlan, connections: ReadonlyMap<string, PipelineConnections>): PipelineConnections {
  const first = connections.get(plan.pipelines[0]?.name ?? "");
  if (!first) throw new Error("group: no connection settings for the plan's first pipeline");
  return first;
}

/** "join", or the refusal of a group name a Kafka group of another kind holds. */
async function checkGroup(cluster: KafkaCluster, group: string, log: Logger): Promise<"join" | RuntimeError> {
  return refuseForeignGroup(cluster, group).then(
    () => "join" as const,
    // Only a refusal stops the start; a cluster not reachable yet is the join's to wait out.
    (error: unknown) => (error instanceof RuntimeError ? error : (log.debug({ err: describeError(error) }, "could not describe the group before joining it"), "join" as const)),
  );
}

/**
 * SIGINT and SIGTERM stop the worker cleanly, during its start too; SIGHUP is refused: a reload
 * would have to reach every worker at once, so a group takes new specs by restarting its
 * workers one at a time.
 */
function listenForSignals(log: Logger): { stopped: Promise<void>; release(): void } {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const refuseReload = () => log.warn("a group worker does not reload its specs; restart the workers one at a time with the new specs (a worker that still runs the old spec of a changed pipeline gives it up)");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", refuseReload);
  return {
    stopped,
    release: () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.off("SIGHUP", refuseReload);
    },
  };
}

async function runUntilStopped(member: GroupMember, worker: GroupWorker, stopped: Promise<void>, log: Logger): Promise<PipelineResult> {
  const membership = member.run();
  const ended = await Promise.race([stopped.then(() => null), membership.then(() => null, (error: unknown) => asRuntimeError(error))]);
  log.info("stopping this worker's pipelines, then leaving the group");
  await worker.close();
  await member.leave();
  await membership.catch(() => undefined);
  return ended ? { phase: "failed", error: ended } : { phase: "stopped", error: null };
}

/** A wildcard bind is reached by the machine's name; a named address by itself. */
function advertisedHost(bound: string): string {
  if (bound === "0.0.0.0" || bound === "::") return hostname();
  return bound.includes(":") ? `[${bound}]` : bound;
}
