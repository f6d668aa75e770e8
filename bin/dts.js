#!/usr/bin/env node
// The one entrypoint. Runs the compiled CLI; `npm run build` produces dist/.
// `dts run` answers signals from here on: loading the CLI takes a good part of a second, and a
// SIGHUP or SIGTERM meanwhile would take Node's default action (src/cli/start-signals.ts).
import { holdStartSignals } from "../dist/src/cli/start-signals.js";

if (process.argv[2] === "run") holdStartSignals();
const { applyHeapSettings } = await import("../dist/src/cli/heap-settings.js");
applyHeapSettings();
const { main, exitWhenDone } = await import("../dist/src/cli/main.js");
exitWhenDone(await main(process.argv.slice(2)));
