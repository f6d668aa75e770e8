// Binlog heartbeats and the delay, on a throwaway MariaDB with no traffic but ours (its server
// is frozen with SIGSTOP here, which the stack's shared server must never be):
// - idle, the delay is known and 0, and with a heartbeat table the checkpoint moves;
// - a frozen server is noticed within two heartbeat periods (/readyz 503 first, once the delay
//   has been unknown for longer than max_delay), and the pipeline recovers after SIGCONT.
import { describe, expect, it } from "vitest";
import type { ExecutionPlan, Pipeline } from "../../src/generated/plan.js";
import { run } from "../../src/runtime/index.js";
import type { PipelineRunner } from "../../src/runtime/pipeline.js";
import { createLogger } from "../../src/runtime/logger.js";
import type { PipelineStatus } from "../../src/runtime/status.js";
import { REPLICATION_USER } from "../../scripts/stack/control.js";
import { decodeChanges, pipelinePlan, readSettled, rule, uniqueName } from "./runtime-helpers.js";
import { useThrowawayMariadb } from "./throwaway-mariadb.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  runner: PipelineRunner;
  status: () => PipelineStatus;
  url: () => string;
  stop: () => Promise<void>;
}

/** Runs the plan in this process with its HTTP endpoint, until it streams. */
async function start(plan: ExecutionPlan): Promise<Running> {
  const pipeline = plan.pipelines[0] as Pipeline;
  let runner: PipelineRunner | null = null;
  const done = run(plan, pipeline.name, { handleSignals: false, flushIntervalMs: 200, http: { port: 0 }, log: createLogger({ pretty: false, level: process.env.DTS_LOG_LEVEL ?? "silent" }), onRunner: (r) => (runner = r) });
  const status = () => (runner as PipelineRunner | null)?.status as PipelineStatus;
  await until(() => status()?.phase === "streaming", 60_000, () => `never streamed: ${JSON.stringify(status())}`);
  return {
    runner: runner as unknown as PipelineRunner,
    status,
    url: () => `http://${status().http?.host}:${status().http?.port}`,
    stop: async () => {
      (runner as PipelineRunner | null)?.requestStop();
      expect((await done).phase).toBe("stopped");
    },
  };
}

/** The phase and delay of every status sample taken over `ms`. */
async function watch(running: Running, ms: number): Promise<string[]> {
  const seen: string[] = [];
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) seen.push(`${running.status().phase} ${running.status().delaySeconds}`);
  return seen;
}

async function until(test: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(what());
    await sleep(50);
  }
}

describe("heartbeats and the delay", () => {
  const database = uniqueName("hb_src");
  const ops = uniqueName("hb_ops");
  const source = useThrowawayMariadb({
    name: "heartbeat",
    envPrefix: "HEARTBEAT",
    setup: `CREATE DATABASE ${database}; CREATE TABLE ${database}.t (id INT PRIMARY KEY) ENGINE=InnoDB; CREATE DATABASE ${ops}; GRANT CREATE, INSERT, UPDATE ON ${ops}.* TO '${REPLICATION_USER}'@'%'`,
  });

  function plan(name: string, topic: string, heartbeat: Pipeline["source"]["heartbeat"], extra: Partial<Pipeline> = {}): ExecutionPlan {
    const built = pipelinePlan(uniqueName(name), topic, [rule(database, "t")], extra);
    const pipeline = source.useAsSource(built);
    pipeline.source.heartbeat = heartbeat;
    return built;
  }

  it("keeps an idle pipeline's delay known and 0, and its checkpoint moving with a heartbeat table", async () => {
    const topic = uniqueName("hb-idle");
    const running = await start(plan("hb-idle", topic, { periodSeconds: 1, table: { database: ops, table: "beat", intervalSeconds: 5 } }));
    try {
      const first = running.status().checkpoint?.position;
      // The first heartbeat row is written at the start, the next after 5 s: until then only the
      // binlog heartbeats (every second) keep the delay known.
      // Sampled all along, so a reconnect (which would also make the delay 0 for a moment) shows.
      const seen = await watch(running, 3_500);
      expect(running.status()).toMatchObject({ phase: "streaming", delaySeconds: 0, delayReason: null });
      seen.push(...(await watch(running, 3_000)));
      expect(new Set(seen)).toEqual(new Set(["streaming 0"]));
      const idle = running.status();
      expect(idle).toMatchObject({ delaySeconds: 0, delayReason: null });
      expect(idle.checkpoint?.position.offset).toBeGreaterThan(first?.offset ?? 0);
      const [rows] = await source.db().query(`SELECT pipeline, TIMESTAMPDIFF(SECOND, beat_at, UTC_TIMESTAMP(6)) AS age FROM ${ops}.beat`);
      expect(rows).toEqual([{ pipeline: running.status().pipeline, age: expect.any(Number) }]);
      expect((rows as { age: number }[])[0]?.age).toBeLessThanOrEqual(5);
      // The table is not selected, so its rows stay out of Kafka.
      await source.db().query(`INSERT INTO ${database}.t VALUES (1)`);
      expect(decodeChanges("canal-json", await readSettled(topic, 1)).map((c) => c.after?.id)).toEqual(["1"]);
    } finally {
      await running.stop();
    }
  }, 60_000);

  it("notices a frozen server within two periods, fails /readyz once the delay is unknown past max_delay, and recovers after SIGCONT", async () => {
    const topic = uniqueName("hb-frozen");
    const period = 6;
    const running = await start(plan("hb-frozen", topic, { periodSeconds: period, table: null }, { maxDelaySeconds: 1 }));
    const pid = source.pid();
    const readyz = async () => {
      const response = await fetch(`${running.url()}/readyz`);
      return { code: response.status, body: (await response.json()) as { reasons?: string[] } };
    };
    try {
      await sleep(1_000);
      expect((await readyz()).code).toBe(200);
      const frozenAt = Date.now();
      process.kill(pid, "SIGSTOP");
      let unready: string[] | undefined;
      while (running.status().phase === "streaming" && Date.now() - frozenAt < 3 * period * 1000) {
        const ready = await readyz();
        if (ready.code === 503 && running.status().phase === "streaming") unready ??= ready.body.reasons;
        await sleep(100);
      }
      const detectedAfter = Date.now() - frozenAt;
      expect(running.status().phase).toBe("retrying");
      // Two periods of silence, counted from the last heartbeat before the freeze, plus the watchdog's check interval.
      expect(detectedAfter).toBeLessThan(2 * period * 1000 + 3_000);
      expect(running.status().error?.message).toMatch(new RegExp(`no binlog event or heartbeat from 127\\.0\\.0\\.1:\\d+ for \\d+s \\(heartbeat period ${period}s\\)`));
      expect(running.status().delaySeconds).toBeNull();
      expect(unready?.[0]).toMatch(/delay has been unknown for \d+s, longer than max_delay 1s: no event or heartbeat from the source for \d+s/);
      expect((await readyz()).code).toBe(503);

      process.kill(pid, "SIGCONT");
      await until(() => running.status().phase === "streaming", 60_000, () => `never streamed again: ${JSON.stringify(running.status())}`);
      await source.db().query(`INSERT INTO ${database}.t VALUES (2), (3)`);
      const ids = decodeChanges("canal-json", await readSettled(topic, 2)).map((c) => c.after?.id);
      expect(ids).toEqual(expect.arrayContaining(["2", "3"]));
      await until(() => running.status().delaySeconds === 0, 10_000, () => `delay never 0 again: ${JSON.stringify(running.status())}`);
      expect((await readyz()).code).toBe(200);
    } finally {
      process.kill(pid, "SIGCONT");
      await running.stop();
    }
  }, 90_000);
});
