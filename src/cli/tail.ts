// dts tail: consume a pipeline's topic(s) and print every message decoded as one JSON line, so
// DTS Avro users can see their data without writing an Avro reader first.
import { randomUUID } from "node:crypto";
import type { Pipeline } from "../generated/plan.js";
import { recordTopics } from "../plan/index.js";
import { readableMessage } from "../messages/index.js";
import { createKafka, createLogger, printable, printableJsonText, resolveKafkaConnection, resolveLogLevel } from "../runtime/index.js";
import { parseCommandArgs } from "./args.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { compileSpecFiles, requirePipeline } from "./spec-files.js";

export const help = `Usage: dts tail [options] <files...>

Consumes the pipeline's topics and prints each message as one JSON line on stdout:
{"topic","partition","offset","timestamp","key","value"} with the value decoded from the
pipeline's format (DTS Avro records with readable column values; canal JSON as written).
Reads new messages only unless --from-beginning is given; stop with Ctrl-C. It also ends,
with exit 0, when whatever reads its output stops (\`dts tail ... | head\`).

Options:
  --pipeline <name>     the pipeline to tail (needed when the specs declare several)
  --topic <topic>       tail this topic instead of the pipeline's row and DDL topics
  --from-beginning      start at the earliest offset
  --max-messages <n>    exit after printing n messages
  -h, --help            show this help`;

/** JSON that keeps bigint values as exact numbers-as-text and bytes as hex. */
function jsonLine(value: unknown): string {
  return printableJsonText(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    pipeline: { type: "string" }, topic: { type: "string" }, "from-beginning": { type: "boolean" }, "max-messages": { type: "string" },
  });
  const level = resolveLogLevel(undefined, "warn");
  if (level.problem) throw new UsageError(level.problem);
  const maxMessages = values["max-messages"] === undefined ? Infinity : Number(values["max-messages"]);
  if (!(maxMessages > 0)) throw new UsageError(`--max-messages must be a positive number; got "${values["max-messages"]}"`);
  const result = compileSpecFiles(positionals);
  if (!result) return ExitCode.failure;
  const [index = 0] = requirePipeline(result.plan, values.pipeline, "the specs", { single: true });
  const pipeline = result.plan.pipelines[index] as Pipeline;
  const topics = values.topic === undefined ? recordTopics(pipeline) : [values.topic];

  const log = createLogger({ level: level.level });
  const kafka = createKafka(resolveKafkaConnection(result.plan, index, result.literalSecrets), log);
  const consumer = kafka.consumer({ groupId: `dts-tail-${randomUUID()}` });
  let printed = 0;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const stop = () => finish(ExitCode.ok);
  // `dts tail | head`: the reader went away, which ends the tail as Ctrl-C does, not with a trace.
  const outputFailed = (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") process.stderr.write(`${printable(`dts tail: cannot write to stdout: ${error.message}`)}\n`);
    finish(error.code === "EPIPE" ? ExitCode.ok : ExitCode.failure);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.on("error", outputFailed);
  try {
    await consumer.connect();
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: values["from-beginning"] ?? false });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        if (printed >= maxMessages || process.stdout.destroyed) return;
        let value: unknown = null;
        if (message.value) {
          try {
            value = readableMessage(message.value, pipeline.format);
          } catch (error) {
            value = { undecodable: message.value.toString("base64"), error: error instanceof Error ? error.message : String(error) };
          }
        }
        process.stdout.write(`${jsonLine({ topic, partition, offset: message.offset, timestamp: message.timestamp, key: message.key?.toString("utf8") ?? null, value })}\n`);
        if (++printed >= maxMessages) finish(ExitCode.ok);
      },
    });
    return await finished;
  } catch (error) {
    process.stderr.write(`${printable(`dts tail: cannot read ${topics.join(", ")} from ${pipeline.destination.brokers.join(",")}: ${error instanceof Error ? error.message : String(error)}`)}\n`);
    return ExitCode.failure;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    process.stdout.off("error", outputFailed);
    await consumer.disconnect().catch(() => undefined);
  }
}

export const tailCommand: Command = {
  summary: "print a pipeline's Kafka messages decoded as JSON",
  help,
  run,
};
