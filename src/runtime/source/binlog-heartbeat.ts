// Binlog heartbeats. A server streaming the binlog sends nothing while nothing is written, so
// an idle stream looks the same as a dead one (a frozen server, a network that drops packets
// without a reset). Asking for heartbeats on the dump connection (@master_heartbeat_period,
// which MariaDB and MySQL honour, and MySQL's newer spelling @source_heartbeat_period) makes an idle
// server send one every period; the watchdog then fails the stream when neither an event, a
// heartbeat nor any byte arrived for two periods, and the pipeline reconnects inside its
// retry window.
import type { Connection } from "mysql2";
import type { Pipeline, SourceHeartbeat } from "../../generated/plan.js";
import { RuntimeError } from "../errors.js";
import { IDLE_TIMEOUT, PAUSED_WRITE_TIMEOUT } from "./session-mode.js";

/** The plan's heartbeat settings; a plan without them (written by hand) gets the compiler's defaults. */
export function heartbeatOf(pipeline: Pipeline): SourceHeartbeat {
  return pipeline.source.heartbeat ?? { periodSeconds: 10, table: null };
}

/** zongji's two connections: the binlog dump's and the control one it queries between events. */
export interface ZongjiConnections {
  connection: Connection | null;
  ctrlConnection: Connection | null;
}

/**
 * Queues the heartbeat request on the binlog connection, with the time the server may wait while
 * the reader is paused (session-mode.ts), and keeps zongji's control connection from being
 * closed while idle. Called from zongji's "ready" event, which zongji emits just before it
 * queues the dump command on the same connection, so the server knows both when the dump starts.
 */
export function prepareDumpSession(zongji: ZongjiConnections, periodSeconds: number, onError: (error: unknown) => void): void {
  const nanoseconds = periodSeconds * 1_000_000_000;
  const failed = (error: unknown) => {
    if (error) onError(error);
  };
  // MariaDB and MySQL read the master_ name; the source_ one is MySQL's newer spelling, in case
  // a release reads only that. A user variable a server does not read costs nothing.
  zongji.connection?.query(`SET @master_heartbeat_period = ${nanoseconds}, @source_heartbeat_period = ${nanoseconds}, SESSION ${PAUSED_WRITE_TIMEOUT}`, failed);
  zongji.ctrlConnection?.query(`SET SESSION ${IDLE_TIMEOUT}`, failed);
}

/** Byte streams the watchdog listens to for "the connection still carries data". */
export interface DataSource {
  on(event: "data", listener: () => void): unknown;
  off(event: "data", listener: () => void): unknown;
}

export class SilenceWatchdog {
  readonly #periodMs: number;
  readonly #onSilent: (error: RuntimeError) => void;
  readonly #address: string;
  #timer: NodeJS.Timeout | null = null;
  /** The last event, heartbeat or byte from the server; null until the first. */
  #lastContactAt: number | null = null;
  /** The silence is counted from the later of this and the last contact. */
  #watchingSince = 0;
  #suspended = false;
  /** When the last check ran: checks far apart mean this process did not run meanwhile. */
  #checkedAt = 0;
  #socket: DataSource | null = null;
  readonly #onData = () => this.contact();

  constructor(periodSeconds: number, address: string, onSilent: (error: RuntimeError) => void) {
    this.#periodMs = periodSeconds * 1000;
    this.#address = address;
    this.#onSilent = onSilent;
  }

  get periodSeconds(): number {
    return this.#periodMs / 1000;
  }

  /** When the server last sent anything (ms since the epoch); null before the first event. */
  get lastContactAt(): number | null {
    return this.#lastContactAt;
  }

  /** Starts counting; `socket` (the binlog connection's) counts every byte, so one huge event is not silence. */
  start(socket: DataSource | null): void {
    this.#watchingSince = Date.now();
    this.#socket = socket;
    socket?.on("data", this.#onData);
    this.#timer = setInterval(() => this.#check(), Math.max(250, this.#periodMs / 4));
    this.#timer.unref();
  }

  contact(): void {
    this.#lastContactAt = Date.now();
  }

  /** While the reader is paused (back-pressure) the server cannot be heard, so silence does not count. */
  suspend(): void {
    this.#suspended = true;
  }

  resume(): void {
    this.#suspended = false;
    this.#watchingSince = Date.now();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#socket?.off("data", this.#onData);
    this.#socket = null;
  }

  #check(): void {
    const now = Date.now();
    const stalled = this.#checkedAt > 0 && now - this.#checkedAt > this.#periodMs;
    this.#checkedAt = now;
    if (this.#suspended) return;
    // The process itself stood still (SIGSTOP, a long blocking task): what the server sent
    // meanwhile waits unread in the socket, so the silence is ours; it counts from now.
    if (stalled) this.#watchingSince = now;
    const silentMs = now - Math.max(this.#lastContactAt ?? 0, this.#watchingSince);
    if (silentMs <= 2 * this.#periodMs) return;
    this.stop();
    const seconds = Math.round(silentMs / 1000);
    this.#onSilent(
      new RuntimeError("source-stream", `no binlog event or heartbeat from ${this.#address} for ${seconds}s (heartbeat period ${this.periodSeconds}s): the connection is dead or the server is not answering`, {
        retriable: true,
        hint: "the pipeline reconnects within its retry window; if this repeats, check that the server is up and the network between them drops no packets",
      }),
    );
  }
}
