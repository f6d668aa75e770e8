// Leaves a stop or reload request in a running pipeline's state folder, as `dts stop` and
// `dts reload` do. A folder this user cannot write (permissions, a read-only mount) is said in
// one line with the way around it, not as an unexpected error.
import { writeControlRequest, type ControlAction, type ControlRequest } from "../control/index.js";
import { printable } from "../runtime/index.js";

/** The signal that asks the same of the `dts run` process. */
const signalFor: Record<ControlAction, string> = { stop: "SIGTERM", "finish-when-caught-up": "SIGTERM (it then stops at once)", reload: "SIGHUP" };

/** The request written; null, with the reason on stderr, when the state folder refuses it. */
export function leaveControlRequest(pipeline: string, stateDir: string, action: ControlAction, options: { allowBreaking?: boolean } = {}): ControlRequest | null {
  try {
    return writeControlRequest(stateDir, action, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    process.stderr.write(`${printable(`${pipeline}: cannot leave the request in its state folder ${stateDir} (${code}); make the folder writable for this user, or send the dts run process ${signalFor[action]}`)}\n`);
    return null;
  }
}
