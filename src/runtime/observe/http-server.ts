// The process's HTTP endpoint: /metrics for Prometheus, /healthz (the process answers),
// /readyz (every pipeline is copying or streaming, within its max_delay: readiness.ts) and
// /status (the pipelines' status as JSON, what `dts status` reads). Plain node:http: four GET
// routes need no framework.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RuntimeError } from "../errors.js";
import type { PipelineStatus } from "../status.js";
import type { DtsMetrics } from "./metrics.js";
import { readiness } from "./readiness.js";

export { readiness } from "./readiness.js";

export type StatusProvider = () => readonly PipelineStatus[] | Promise<readonly PipelineStatus[]>;

export interface ObservabilityOptions {
  /** Default 127.0.0.1: metrics are not for the whole network unless asked. */
  host?: string;
  /** 0 picks a free port; the bound one is in the result. */
  port: number;
  metrics: DtsMetrics;
  statusProvider: StatusProvider;
  /** Said beside the pipelines in /status, e.g. the group and worker id of a group worker. */
  identity?: Record<string, string>;
}

export interface ObservabilityServer {
  host: string;
  port: number;
  /** e.g. http://127.0.0.1:9464 */
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, code: number, contentType: string, body: string): void {
  res.writeHead(code, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

function json(res: ServerResponse, code: number, value: unknown): void {
  send(res, code, "application/json; charset=utf-8", `${JSON.stringify(value)}\n`);
}

async function route(req: IncomingMessage, res: ServerResponse, options: ObservabilityOptions): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (req.method !== "GET" && req.method !== "HEAD") return json(res, 405, { error: "only GET is supported" });
  switch (path) {
    case "/metrics":
      return send(res, 200, options.metrics.contentType, await options.metrics.render());
    case "/healthz":
      return json(res, 200, { status: "ok" });
    case "/readyz": {
      const { ready, reasons } = readiness(await options.statusProvider());
      return json(res, ready ? 200 : 503, ready ? { status: "ready" } : { status: "not ready", reasons });
    }
    case "/status":
      return json(res, 200, { ...options.identity, pipelines: await options.statusProvider() });
    default:
      return json(res, 404, { error: `no such endpoint ${path}; try /metrics, /healthz, /readyz or /status` });
  }
}

export async function startObservabilityServer(options: ObservabilityOptions): Promise<ObservabilityServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    route(req, res, options).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.end();
    });
  });
  // A scrape must never keep the process alive after the pipelines stopped.
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const taken = error.code === "EADDRINUSE";
      reject(new RuntimeError("config", `cannot serve metrics on ${host}:${options.port}: ${taken ? "the port is in use" : error.message}`, {
        cause: error,
        hint: taken ? "choose another port for the metrics endpoint, or stop the process that holds it" : "check the metrics host and port",
      }));
    });
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    host,
    port,
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
