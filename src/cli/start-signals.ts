// `dts run` answers SIGINT, SIGTERM and SIGHUP from its first line until it returns. A signal
// that finds no listener takes Node's default action: a SIGHUP (a service manager's reload)
// would kill a starting run with 129, a SIGTERM with 143, and the exit hook that removes the
// state folders' locks would not run. The runtime handles the signals once it is handed them;
// these listeners stay until the end, so no signal finds the default action in between. An
// entrypoint may take them before it loads the CLI (which takes a good part of a second): the
// `dts run` it then starts holds the same ones.
import { ExitCode } from "./command.js";

/** How far the start has come, which decides what a signal does. */
type Stage = "reading specs" | "specs read" | "group specs read" | "handed over";

/** What SIGHUP means at each stage; none once the runtime (or the run's end) has it. */
const hangupNotes: Record<Stage, string | null> = {
  "reading specs": "SIGHUP during start-up: the spec files are being read now anyway",
  "specs read": "SIGHUP during start-up is not applied: the pipelines start with the spec files as they were read; send it again (or run dts reload) once they run",
  "group specs read": "SIGHUP ignored: a group worker does not reload its specs; restart the workers one at a time with the new specs",
  "handed over": null,
};

export interface StartSignals {
  /** The specs are compiled: a SIGHUP from now on comes too late for this start. */
  specsRead(group: boolean): void;
  /** The runtime handles the signals from here on; these stay to keep the default action away. */
  handOver(): void;
  /** Removes the listeners, once `dts run` returns. */
  release(): void;
}

let held: StartSignals | null = null;

/** The listeners `dts run` answers signals with until it returns; the ones already held, if any. */
export function holdStartSignals(): StartSignals {
  held ??= listen();
  return held;
}

function listen(): StartSignals {
  let stage: Stage = "reading specs";
  const onStop = () => {
    if (stage === "handed over") return;
    process.stderr.write("dts run: stopped before the pipeline started\n");
    // The locks taken so far go with the exit hook (state-lock.ts).
    process.exit(ExitCode.ok);
  };
  const onHangup = () => {
    const note = hangupNotes[stage];
    if (note) process.stderr.write(`dts run: ${note}\n`);
  };
  process.on("SIGINT", onStop);
  process.on("SIGTERM", onStop);
  process.on("SIGHUP", onHangup);
  const signals: StartSignals = {
    specsRead: (group) => void (stage = group ? "group specs read" : "specs read"),
    handOver: () => void (stage = "handed over"),
    release: () => {
      if (held === signals) held = null;
      process.off("SIGINT", onStop);
      process.off("SIGTERM", onStop);
      process.off("SIGHUP", onHangup);
    },
  };
  return signals;
}
