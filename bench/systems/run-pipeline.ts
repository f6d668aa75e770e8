// The child-process entry for our side: `dts run <spec>` through the CLI's own command, so
// the benchmark exercises the normal spec → plan → runtime path in a process of its own, with
// the heap settings of the binary.
import { applyHeapSettings } from "../../src/cli/heap-settings.js";
import { runCommand } from "../../src/cli/run.js";

applyHeapSettings();

process.exitCode = await runCommand.run(process.argv.slice(2));
