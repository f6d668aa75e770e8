// What a Kafka failure means for the pipeline: worth a retry (a broker restarting, a network
// blip) or not (bad credentials, Kafka refusing the data itself), with the hint the user sees.
import { RuntimeError } from "../errors.js";

/** Runs a Kafka client call and turns its failure into a sink-connect error naming the brokers. */
export async function wrapKafka<T>(action: () => Promise<T>, what: string, brokers: string[]): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof RuntimeError) throw error;
    const err = error as { name?: string; message?: string; type?: string };
    const auth = /SASL|authentication|Authentication/i.test(`${err.name} ${err.message} ${err.type}`);
    throw new RuntimeError("sink-connect", `cannot ${what} at ${brokers.join(",")}: ${err.message ?? String(error)}`, {
      cause: error,
      retriable: !auth,
      hint: auth ? "check the destination's auth mechanism, username and password" : "check that Kafka is running and reachable from here",
    });
  }
}

/** Connection trouble is worth retrying; Kafka refusing the data itself (size, authorization) is not. */
export function sendError(error: unknown): RuntimeError {
  // Already judged where it was raised (a fenced transactional id must not be retried).
  if (error instanceof RuntimeError && error.code !== "sink-send") return error;
  const err = error as { message?: string; type?: string; retriable?: boolean; cause?: { type?: string; retriable?: boolean } };
  const type = err.type ?? err.cause?.type;
  const refused = type !== undefined && /TOO_LARGE|INVALID_RECORD|AUTHORIZATION_FAILED|CORRUPT_MESSAGE|INVALID_REQUIRED_ACKS|UNSUPPORTED_COMPRESSION_TYPE/.test(type);
  return new RuntimeError("sink-send", `Kafka did not accept messages: ${err.message ?? String(error)}`, {
    cause: error,
    retriable: !refused,
    ...(refused ? { hint: "check the topic's and broker's limits (message.max.bytes) and the user's ACLs" } : {}),
  });
}
