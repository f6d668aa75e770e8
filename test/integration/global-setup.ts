// Integration tests run against the real stack: bring it up unless it already runs (stackUp
// reuses running servers), or use the external one whose env file DTS_STACK_ENV names.
import type { TestProject } from "vitest/node";
import { stackUp } from "../../scripts/stack/stack.js";
import { loadStackEnv, stackEnvPath } from "./stack-env.js";

export default async function setup(project: TestProject): Promise<void> {
  if (!process.env.DTS_STACK_ENV) await stackUp();
  const path = stackEnvPath();
  loadStackEnv(path);
  process.env.DTS_STACK_ENV = path;
  project.provide("stackEnvPath", path);
}
