// Kafka Connect's REST API as the harness uses it: a free local port for it, waiting until the
// worker answers, creating a connector, and reading a failed task's trace.
import { createServer } from "node:net";

/** A port the kernel just handed out on 127.0.0.1, so parallel stacks never collide on 8083. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free local port"))));
    });
  });
}

export class ConnectRest {
  readonly #base: string;

  constructor(port: number) {
    this.#base = `http://127.0.0.1:${port}`;
  }

  /** Polls the root resource until the worker answers (its plugins loaded, its herder started). */
  async waitUntilReady(alive: () => boolean, exitReason: () => string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!alive()) throw new Error(`Kafka Connect exited during startup: ${exitReason()}`);
      try {
        if ((await fetch(`${this.#base}/`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`Kafka Connect did not answer on ${this.#base} within ${timeoutMs / 1000} s`);
  }

  /** Creates a connector; the answer echoes the config (with its password), so only the status is read. */
  async createConnector(name: string, config: Record<string, string>): Promise<void> {
    const response = await fetch(`${this.#base}/connectors`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name, config }),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      throw new Error(`Kafka Connect refused connector ${name}: HTTP ${response.status} ${body.message ?? ""}`.trim());
    }
  }

  /** Why the connector or its task failed (the first line of the trace), or null while it runs. */
  async failure(name: string): Promise<string | null> {
    const response = await fetch(`${this.#base}/connectors/${name}/status`).catch(() => null);
    if (!response?.ok) return null;
    const status = (await response.json()) as { connector?: { state: string; trace?: string }; tasks?: Array<{ state: string; trace?: string }> };
    const failed = [status.connector, ...(status.tasks ?? [])].find((s) => s?.state === "FAILED");
    if (!failed) return null;
    return `connector ${name} failed: ${(failed.trace ?? "no trace").split("\n")[0]}`;
  }
}
