// Why the binlog stream did not open: a position the server has purged cannot be fixed by
// retrying, while a server that is down or restarting can (bad credentials cannot).
import { RuntimeError } from "../errors.js";

export function wrapReaderStart(error: unknown, address: string): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const err = error as { message?: string; errno?: number };
  const message = err.message ?? String(error);
  if (err.errno === 1236 || /purged|could not find first log|1236/i.test(message)) {
    return new RuntimeError("binlog-purged", `the source at ${address} no longer has the binlog position this pipeline needs: ${message}`, { cause: error });
  }
  return new RuntimeError("source-stream", `cannot open the binlog stream at ${address}: ${message}`, { cause: error, retriable: err.errno !== 1045 });
}
