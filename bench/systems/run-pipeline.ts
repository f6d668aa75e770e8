// The child-process entry for our side: `dts run <spec>` through the CLI's own command, so
// the benchmark exercises the normal spec → plan → runtime path in a process of its own.
import { runCommand } from "../../src/cli/run.js";

process.exitCode = await runCommand.run(process.argv.slice(2));
