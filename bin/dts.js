#!/usr/bin/env node
// The one entrypoint. Runs the compiled CLI; `npm run build` produces dist/.
import { applyHeapSettings } from "../dist/src/cli/heap-settings.js";

applyHeapSettings();
const { main, exitWhenDone } = await import("../dist/src/cli/main.js");
exitWhenDone(await main(process.argv.slice(2)));
