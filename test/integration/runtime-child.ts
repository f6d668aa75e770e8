// A child-process entry for runtime integration tests: runs one pipeline of a plan file with
// run() directly (independent of CLI wiring), exits 0 on a clean stop and 1 on failure.
// Usage: tsx test/integration/runtime-child.ts <plan.json> <pipeline>
import { readFileSync } from "node:fs";
import { run } from "../../src/runtime/index.js";
import { createLogger } from "../../src/runtime/logger.js";

const [planPath, pipeline] = process.argv.slice(2);
if (!planPath || !pipeline) {
  process.stderr.write("usage: runtime-child.ts <plan.json> <pipeline>\n");
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planPath, "utf8"));
const log = createLogger({ pretty: false, level: process.env.DTS_LOG_LEVEL ?? "info" });
const result = await run(plan, pipeline, { log, flushIntervalMs: 200 });
if (result.error) process.stderr.write(`runtime-child: ${result.error.message}\n`);
log.flush();
process.exit(result.phase === "stopped" ? 0 : 1);
