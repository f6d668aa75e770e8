// Child processes that check inputs (sandbox-child.ts). A catastrophic regex or a runaway loop
// in the compiler cannot be interrupted inside the test process, so each input runs in a child
// under a deadline; past it the child is killed, the input reported and a new child started.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { allowedMs, atLeastKillFloor, killDeadlineMs, perInputFactor, type Baseline } from "./budget.js";
import type { FuzzInput, Outcome } from "./check-input.js";
import type { Question, Reply, Request, Timing } from "./sandbox-child.js";

const childPath = fileURLToPath(new URL("./sandbox-child.ts", import.meta.url));
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

type Answer = { kind: "reply"; reply: Reply } | { kind: "gone"; why: string };

class Child {
  readonly process: ChildProcess;
  /** Settles when the child is ready (with the baseline it measured or was given) or has died. */
  readonly ready: Promise<Baseline>;
  private readonly waiting = new Map<number, (answer: Answer) => void>();
  private stderr = "";
  private goneWhy: string | undefined;

  constructor(baseline?: Baseline) {
    this.process = fork(childPath, baseline ? [JSON.stringify(baseline)] : [], {
      cwd: repoRoot,
      execArgv: ["--import", "tsx", "--max-old-space-size=1536"],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    this.process.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2000);
    });
    this.ready = new Promise((resolve, reject) => {
      this.process.on("message", (reply: Reply) => {
        if (reply.kind === "ready") resolve(reply.baseline);
        else this.waiting.get(reply.id)?.({ kind: "reply", reply });
      });
      this.process.on("exit", (code, signal) => {
        this.goneWhy = `the sandbox process died (${signal ?? `exit code ${code}`})${this.stderr ? `: ${this.stderr.trim().split("\n").slice(-3).join(" | ")}` : ""}`;
        reject(new Error(this.goneWhy));
        for (const answer of this.waiting.values()) answer({ kind: "gone", why: this.goneWhy });
      });
    });
    this.ready.catch(() => undefined);
  }

  /**
   * Sends once the child listens; the deadline starts then. The test process itself may stall
   * (a busy machine, a long synchronous step), so a timer that fires late is re-armed, and the
   * kill waits one turn of the event loop for a reply that may already be in the pipe.
   */
  async ask(request: Request, deadlineMs: number): Promise<Answer> {
    await this.ready.catch(() => undefined);
    if (this.goneWhy !== undefined) return { kind: "gone", why: this.goneWhy };
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout;
      const arm = (ms: number) => {
        const armedAt = performance.now();
        timer = setTimeout(() => {
          if (performance.now() - armedAt > 1.5 * ms) return arm(ms);
          setImmediate(() => {
            if (!this.waiting.has(request.id)) return;
            this.waiting.delete(request.id);
            this.process.kill("SIGKILL");
            resolve({ kind: "gone", why: "timeout" });
          });
        }, ms);
      };
      this.waiting.set(request.id, (answer) => {
        clearTimeout(timer);
        this.waiting.delete(request.id);
        resolve(answer);
      });
      arm(deadlineMs);
      this.process.send(request);
    });
  }
}

function chars(input: FuzzInput): number {
  return input.files.reduce((n, f) => n + f.text.length, 0);
}

function failed(why: string): Outcome {
  return { violations: [why], ms: Number.NaN, steps: { compile: Number.NaN, render: Number.NaN, fmt: Number.NaN, recompile: Number.NaN }, diagnostics: [], planJson: null, formatted: null };
}

/** One child at a time, replaced when it hangs or dies; the pool below gives it one input at a time. */
class Lane {
  private child = new Child();
  /** Measured by the first child and handed to its replacements. */
  private readonly known = this.child.ready;
  /**
   * Started after the first kill: inputs that hang once tend to hang again, and a child takes
   * longer to start than a hanging input takes to reach its deadline.
   */
  private spare: Child | undefined;
  private nextId = 1;

  baseline(): Promise<Baseline> {
    return this.known;
  }

  /**
   * Checks one input against every invariant (check-input.ts) and its time bound. `deadline`
   * tightens the default kill deadline, with the reason to report when it is reached.
   */
  async check(input: FuzzInput, deadline?: { ms: number; why: string }): Promise<Outcome> {
    const baseline = await this.known;
    const defaultMs = killDeadlineMs(baseline, chars(input));
    const ms = deadline ? Math.min(atLeastKillFloor(baseline, deadline.ms), defaultMs) : defaultMs;
    const answer = await this.ask({ kind: "check", input }, ms);
    if (answer.kind === "gone" && answer.why !== "timeout") return failed(answer.why);
    if (answer.kind !== "reply" || answer.reply.kind !== "checked") {
      const why = ms < defaultMs && deadline ? deadline.why : `it did not finish within ${(ms / baseline.ms).toFixed(0)}× the time of specs/full.dts (for ${chars(input)} characters; specs/full.dts has ${baseline.chars})`;
      return failed(`${why}; the sandbox was killed`);
    }
    const outcome = answer.reply.outcome;
    if (outcome.ms > allowedMs(baseline, chars(input))) await this.confirmSlow(input, outcome, baseline);
    return outcome;
  }

  /**
   * One slow run may be a collection or a busy neighbour: a slow input is timed twice more and
   * compared with a baseline measured again now, before it counts as too slow.
   */
  private async confirmSlow(input: FuzzInput, outcome: Outcome, baseline: Baseline): Promise<void> {
    const again = await this.ask({ kind: "time", input, repeat: 2 }, atLeastKillFloor(baseline, 3 * outcome.ms));
    const now = await this.ask({ kind: "baseline" }, atLeastKillFloor(baseline, 0));
    const fastest = again.kind === "reply" && again.reply.kind === "timed" && again.reply.timing.ms < outcome.ms ? again.reply.timing : outcome;
    const reference = { ...baseline, ms: Math.max(baseline.ms, now.kind === "reply" && now.reply.kind === "measured" ? now.reply.baseline.ms : 0) };
    const ratio = fastest.ms / allowedMs(reference, chars(input), 1);
    if (ratio <= perInputFactor) return;
    const shares = Object.entries(fastest.steps).map(([step, t]) => `${step} ${((100 * t) / fastest.ms).toFixed(0)}%`);
    outcome.violations.push(`it takes ${ratio.toFixed(0)}× as long as specs/full.dts, scaled to its size (${chars(input)} characters vs ${reference.chars}); the bound is ${perInputFactor}× (${shares.join(", ")})`);
  }

  /**
   * The fastest of `repeat` runs of the work alone; undefined when the child had to be killed,
   * by default past the kill deadline of each run.
   */
  async time(input: FuzzInput, repeat: number, deadlineMs?: number): Promise<Timing | undefined> {
    const baseline = await this.known;
    const ms = deadlineMs === undefined ? repeat * killDeadlineMs(baseline, chars(input)) : atLeastKillFloor(baseline, deadlineMs);
    const answer = await this.ask({ kind: "time", input, repeat }, ms);
    return answer.kind === "reply" && answer.reply.kind === "timed" ? answer.reply.timing : undefined;
  }

  /** The fastest of `repeat` turns of each input, taken in turns; undefined when killed at `deadlineMs`. */
  async compare(small: FuzzInput, large: FuzzInput, repeat: number, deadlineMs: number): Promise<{ small: Timing; large: Timing } | undefined> {
    const baseline = await this.known;
    const answer = await this.ask({ kind: "compare", small, large, repeat }, atLeastKillFloor(baseline, deadlineMs));
    return answer.kind === "reply" && answer.reply.kind === "compared" ? answer.reply : undefined;
  }

  /** A child that misses its deadline or dies is replaced; the answer says which. */
  private async ask(question: Question, deadlineMs: number): Promise<Answer> {
    const answer = await this.child.ask({ ...question, id: this.nextId++ }, deadlineMs);
    if (answer.kind === "gone") await this.restart();
    return answer;
  }

  close(): void {
    this.child.process.kill("SIGKILL");
    this.spare?.process.kill("SIGKILL");
  }

  private async restart(): Promise<void> {
    const baseline = await this.known;
    this.child.process.kill("SIGKILL");
    this.child = this.spare ?? new Child(baseline);
    this.spare = new Child(baseline);
  }
}

/**
 * Children working side by side, so that properties running concurrently use both cores of a
 * small machine. Each input goes to an idle child; a child handles one input at a time.
 */
export class Sandbox {
  private readonly lanes: Lane[];
  private readonly idle: Lane[];
  private readonly waiting: ((lane: Lane) => void)[] = [];

  constructor(size = 2) {
    this.lanes = Array.from({ length: size }, () => new Lane());
    this.idle = [...this.lanes];
  }

  /** The baseline of the first child: specs/full.dts through the same work. */
  baseline(): Promise<Baseline> {
    return (this.lanes[0] as Lane).baseline();
  }

  /** Waits until every child is ready. */
  async ready(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.baseline()));
  }

  check(input: FuzzInput, deadline?: { ms: number; why: string }): Promise<Outcome> {
    return this.onIdleLane((lane) => lane.check(input, deadline));
  }

  time(input: FuzzInput, repeat: number, deadlineMs?: number): Promise<Timing | undefined> {
    return this.onIdleLane((lane) => lane.time(input, repeat, deadlineMs));
  }

  compare(small: FuzzInput, large: FuzzInput, repeat: number, deadlineMs: number): Promise<{ small: Timing; large: Timing } | undefined> {
    return this.onIdleLane((lane) => lane.compare(small, large, repeat, deadlineMs));
  }

  close(): void {
    for (const lane of this.lanes) lane.close();
  }

  private async onIdleLane<T>(task: (lane: Lane) => Promise<T>): Promise<T> {
    const lane = this.idle.pop() ?? (await new Promise<Lane>((resolve) => this.waiting.push(resolve)));
    try {
      return await task(lane);
    } finally {
      const next = this.waiting.shift();
      if (next) next(lane);
      else this.idle.push(lane);
    }
  }
}
