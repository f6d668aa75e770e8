#!/usr/bin/env node
// The one entrypoint. Runs the compiled CLI; `npm run build` produces dist/.
import { applyHeapSettings } from "../dist/src/cli/heap-settings.js";

applyHeapSettings();
const { main } = await import("../dist/src/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
