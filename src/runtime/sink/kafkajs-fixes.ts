// A correction to kafkajs 2.2.4 (pinned): a read_committed fetch response lists each partition's
// aborted transactions in the order their markers were written, and kafkajs' filter of aborted
// records (consumer/filterAbortedMessages.js) walks that list as if it were sorted by first
// offset, as the Java client sorts it. When two producers' transactions in one partition were
// aborted in the other order than they began (two pipelines of a dead worker sharing a
// checkpoint topic), the filter let the aborted records of one through: a checkpoint that was
// never committed was read as the newest, and the pipeline resumed past messages that were
// aborted. Sorting each list as it is decoded gives the filter the order it assumes.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface AbortedTransaction {
  producerId: string;
  firstOffset: string;
}

interface FetchResponse {
  responses?: { partitions?: { abortedTransactions?: AbortedTransaction[] | null }[] }[];
}

type ResponseModule = { decode: (raw: Buffer) => Promise<FetchResponse>; [sorted]?: true };

const sorted = Symbol("dts: aborted transactions sorted");
/** The Fetch versions whose responses carry aborted transactions (4 and up). */
const versions = [4, 5, 6, 7, 8, 9, 10, 11];

/** Sorts every partition's aborted transactions by first offset, in place. */
export function sortAbortedTransactions<T extends FetchResponse>(response: T): T {
  for (const topic of response.responses ?? []) {
    for (const partition of topic.partitions ?? []) {
      partition.abortedTransactions?.sort((a, b) => (BigInt(a.firstOffset) < BigInt(b.firstOffset) ? -1 : BigInt(a.firstOffset) > BigInt(b.firstOffset) ? 1 : 0));
    }
  }
  return response;
}

/** Patches kafkajs' Fetch response decoders once per process; they are shared by every kafkajs client in it. */
export function applyKafkajsFixes(): void {
  for (const version of versions) {
    const module = require(`kafkajs/src/protocol/requests/fetch/v${version}/response.js`) as ResponseModule;
    if (module[sorted]) continue;
    const decode = module.decode;
    module.decode = async (raw) => sortAbortedTransactions(await decode(raw));
    module[sorted] = true;
  }
}
