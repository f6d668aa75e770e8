// What answers at a broker address when kafkajs only says "Closed connection": that message
// comes alike from a MySQL port, an HTTP server, a TLS listener spoken to in plaintext, and a
// broker going down. Waiting out a retry window only helps the last one, so the address is asked
// once more by hand: an ApiVersions request (v0, which every broker answers before any SASL or
// authorization), and the first bytes that come back say who is there.
import net from "node:net";
import tls from "node:tls";

/** What the first answer showed: a Kafka broker, a TLS listener, or something else (described). */
export type ListenerAnswer = { kind: "kafka" } | { kind: "tls" } | { kind: "other"; what: string } | { kind: "unreachable"; message: string };

const CORRELATION_ID = 0x64747301;
/** How long a listener may take to speak first (MySQL's greeting) before the request is sent. */
const SPEAKS_FIRST_MS = 250;
const CLIENT_ID = "dts-listener-probe";

/** ApiVersions v0: size, api key 18, version 0, correlation id, client id; no body. */
export function apiVersionsRequest(): Buffer {
  const client = Buffer.from(CLIENT_ID);
  const frame = Buffer.alloc(4 + 2 + 2 + 4 + 2 + client.length);
  frame.writeInt32BE(frame.length - 4, 0);
  frame.writeInt16BE(18, 4);
  frame.writeInt16BE(0, 6);
  frame.writeInt32BE(CORRELATION_ID, 8);
  frame.writeInt16BE(client.length, 12);
  client.copy(frame, 14);
  return frame;
}

/** Reads what came back (possibly nothing before the peer closed) as a listener's answer. */
export function judgeAnswer(bytes: Buffer): Exclude<ListenerAnswer, { kind: "unreachable" }> {
  if (bytes.length === 0) return { kind: "other", what: "accepted the connection and closed it without an answer" };
  // A TLS record (handshake 0x16 or alert 0x15, version 3.x): a TLS listener refusing plaintext.
  if ((bytes[0] === 0x15 || bytes[0] === 0x16) && bytes[1] === 0x03) return { kind: "tls" };
  if (bytes.length >= 8 && bytes.readInt32BE(4) === CORRELATION_ID && bytes.readInt32BE(0) >= 4) return { kind: "kafka" };
  // MySQL/MariaDB greet first: a 3-byte length, sequence 0, protocol version 10, server version.
  if (bytes.length >= 6 && bytes[3] === 0 && bytes[4] === 0x0a) {
    const version = bytes.subarray(5, bytes.indexOf(0, 5) > 0 ? bytes.indexOf(0, 5) : 5 + 40).toString("latin1");
    return { kind: "other", what: `is a MySQL or MariaDB server (${printable(version)})` };
  }
  const text = printable(bytes.subarray(0, 60).toString("latin1").split(/\r?\n/)[0] ?? "");
  if (text.length >= 3) return { kind: "other", what: `answered "${text}"` };
  return { kind: "other", what: `answered ${bytes.length} byte(s) that are no Kafka response` };
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").trim();
}

/** Connects to `broker` (host:port), in TLS when the client uses it, and judges the first answer. */
export function probeListener(broker: string, useTls: boolean, timeoutMs = 5_000): Promise<ListenerAnswer> {
  const colon = broker.lastIndexOf(":");
  const host = broker.slice(0, colon).replace(/^\[|\]$/g, "");
  const port = Number(broker.slice(colon + 1));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (answer: ListenerAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const received = () => Buffer.concat(chunks);
    // Identity is not the question here; kafkajs checks the certificate on the real connection.
    const socket = useTls ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false }) : net.connect({ host, port });
    const timer = setTimeout(() => finish(chunks.length > 0 ? judgeAnswer(received()) : { kind: "unreachable", message: "no answer in time" }), timeoutMs);
    // A MySQL server speaks first, and may reset a connection that sent it anything before its
    // greeting was read (the reset can then arrive before the greeting's bytes): give it a moment.
    socket.once(useTls ? "secureConnect" : "connect", () => {
      const ask = setTimeout(() => settled || chunks.length > 0 || socket.write(apiVersionsRequest()), SPEAKS_FIRST_MS);
      socket.once("close", () => clearTimeout(ask));
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (received().length >= 8) finish(judgeAnswer(received()));
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (chunks.length > 0) finish(judgeAnswer(received()));
      else finish({ kind: "unreachable", message: error.message });
    });
    socket.on("close", () => finish(judgeAnswer(received())));
  });
}
