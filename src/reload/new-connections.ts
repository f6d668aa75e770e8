// A reload that changes how the pipeline connects (a password, TLS, the brokers or the source's
// servers) is applied by a new session; settings a server refuses would leave the pipeline
// retrying on them for its whole retry window after the reload said "applied". So the new
// settings are tried first, as `dts precheck` tries them: a login or TLS refusal refuses the
// reload and the pipeline runs on unchanged. A server out of reach does not refuse it: it may
// come back, and the running session could not reach it either.
import type { Pipeline } from "../generated/plan.js";
import { baseKafkaConfig, checkAuth, probeBroker } from "../precheck/kafka-checks.js";
import { connectSource } from "../precheck/source-connection.js";
import type { PipelineConnections, ReloadVerdict, RunningPipeline } from "../runtime/index.js";

type Refusal = Extract<ReloadVerdict, { ok: false }>;

const unchangedHint = "fix the settings and reload again; the pipeline runs on unchanged";

/** The refusal when a server refuses the new connection settings; null when they work, did not change, or cannot be tried. */
export async function connectionsRefusal(running: RunningPipeline, next: Pipeline, connections: PipelineConnections): Promise<Refusal | null> {
  return (await kafkaRefusal(running, next, connections)) ?? (await sourceRefusal(running, next, connections));
}

async function kafkaRefusal(running: RunningPipeline, next: Pipeline, connections: PipelineConnections): Promise<Refusal | null> {
  const same = JSON.stringify(connections.kafka) === JSON.stringify(running.connections.kafka) && JSON.stringify(next.destination.brokers) === JSON.stringify(running.pipeline.destination.brokers);
  if (same) return null;
  const base = baseKafkaConfig(connections.kafka);
  const probes = await Promise.all(next.destination.brokers.map((broker) => probeBroker(base, broker)));
  const auth = checkAuth(next.destination, probes);
  if (auth.status !== "fail") return null;
  return { ok: false, reason: `the new Kafka settings are refused: ${auth.reason}`, hint: `${auth.fix ?? "check the destination's auth and tls"}; ${unchangedHint}` };
}

async function sourceRefusal(running: RunningPipeline, next: Pipeline, connections: PipelineConnections): Promise<Refusal | null> {
  if (JSON.stringify(connections.source) === JSON.stringify(running.connections.source)) return null;
  const { conn, result } = await connectSource(next, connections.source);
  await conn?.end().catch(() => undefined);
  if (result.status !== "fail" || result.unreachable === true) return null;
  return { ok: false, reason: `the new source settings are refused: ${result.reason}`, hint: `${result.fix ?? "check the source's user, password and tls"}; ${unchangedHint}` };
}
