// Observability of a running dts process: Prometheus metrics and the HTTP endpoint.
export { createMetrics, type DtsMetrics, type EventOperation, type MetricsOptions, type PipelineMetrics } from "./metrics.js";
export { readiness } from "./readiness.js";
export { startObservabilityServer, type ObservabilityOptions, type ObservabilityServer, type StatusProvider } from "./http-server.js";
