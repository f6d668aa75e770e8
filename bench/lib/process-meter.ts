// CPU time and memory of one process, read from /proc so a system under test is measured
// alone: utime+stime of its own threads, and the kernel's high-water mark of its resident set.
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux x86-64

export interface ProcessSample {
  cpuSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
}

export function sampleProcess(pid: number): ProcessSample | null {
  try {
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
    return { cpuSeconds: (utime + stime) / TICKS_PER_SECOND, rssBytes: kb("VmRSS"), peakRssBytes: kb("VmHWM") };
  } catch {
    return null;
  }
}

/** Tracks a process over a measurement window: CPU used inside it and the peak RSS seen. */
export class ProcessMeter {
  readonly #pid: number;
  #startCpu = 0;
  #last: ProcessSample | null = null;

  constructor(pid: number) {
    this.#pid = pid;
  }

  /** Starts the window now; CPU spent on startup before it is not counted. */
  begin(): void {
    this.#last = sampleProcess(this.#pid);
    this.#startCpu = this.#last?.cpuSeconds ?? 0;
  }

  /** Call while the process still runs (the figures of an exited process are gone). */
  sample(): ProcessSample | null {
    const now = sampleProcess(this.#pid);
    if (now) this.#last = now;
    return this.#last;
  }

  get cpuSeconds(): number {
    return (this.#last?.cpuSeconds ?? 0) - this.#startCpu;
  }

  /** VmHWM: the peak since the process started, so every run uses a fresh process. */
  get peakRssBytes(): number {
    return this.#last?.peakRssBytes ?? 0;
  }
}
