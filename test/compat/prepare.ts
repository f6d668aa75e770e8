// Resolves and compiles the compatibility clients ahead of `npm test` (a step of .ci/run), so
// the first-time Maven downloads are timed and cached apart from the tests.
import { prepareCompatClients } from "./clients.js";

await prepareCompatClients((message) => process.stderr.write(`[compat] ${message}\n`));
