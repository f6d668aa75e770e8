// The peers the benchmark can run beside ours, by the names --peers takes.
import type { BenchStack } from "../lib/stack.js";
import type { SystemUnderTest } from "../systems/system.js";
import { debeziumSystem } from "./debezium.js";
import { maxwellSystem } from "./maxwell.js";

const PEERS = {
  maxwell: maxwellSystem,
  debezium: (stack: BenchStack) => debeziumSystem(stack, "json"),
  "debezium-avro": (stack: BenchStack) => debeziumSystem(stack, "avro"),
} as const;
export type PeerName = keyof typeof PEERS;
/** Avro needs the schema registry, which the stack starts only when asked: not run by default. */
const DEFAULT_PEERS: PeerName[] = ["maxwell", "debezium"];

/** The peers named by --peers (Maxwell and Debezium with JSON when it is left out, none for "none" or --skip-peer), or why the list is wrong. */
export function choosePeers(list: string | undefined, skipPeer: boolean): PeerName[] | string {
  if (skipPeer || list === "none") return [];
  if (list === undefined) return DEFAULT_PEERS;
  const names = list.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const unknown = names.find((name) => !Object.hasOwn(PEERS, name));
  if (unknown !== undefined) return `unknown peer "${unknown}"; choose from ${Object.keys(PEERS).join(", ")}, or none`;
  if (names.length === 0) return `--peers needs at least one of ${Object.keys(PEERS).join(", ")}, or none`;
  return [...new Set(names)] as PeerName[];
}

export function peerSystem(name: PeerName, stack: BenchStack): SystemUnderTest {
  return PEERS[name](stack);
}
